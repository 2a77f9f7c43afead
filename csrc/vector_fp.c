/* Vector floating-point instructions. */
#include "vector.h"

void rv_v_register_fp(rv_v_handler *t)
{
    (void)t;
}
