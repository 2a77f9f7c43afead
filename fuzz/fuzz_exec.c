/* libFuzzer harness: decoder and executor.  See harness.h for the input layout. */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_machine f;
    if (!fuzz_setup(&f, data, size))
        return 0;
    fuzz_run(&f, 4096);
    /* the decoder on its own, over every word of the stream */
    for (size_t i = 0; i + 4 <= f.body_size && i < 256; i += 2) {
        uint32_t w;
        memcpy(&w, f.body + i, 4);
        int op = rv_decode_op(f.m, w);
        if (!rv_op_name(op))
            abort();
    }
    fuzz_finish(&f);
    return 0;
}
