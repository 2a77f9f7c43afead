/* The cycle model's branch and jump prediction (docs/timing.md section 2.3): a static, bimodal or
 * gshare direction predictor for conditional branches, a target table for indirect jumps and a
 * return-address stack for returns.  The predictions themselves (tm_predict_branch, tm_predict_jalr)
 * are inline in timing_internal.h, as they run on every branch and jump; this file sets the tables up.
 */
#include <stdlib.h>
#include "timing_internal.h"

int tm_branch_init(rv_timing *T, char *err, size_t n)
{
    const rv_timing_params *p = &T->p;
    if (p->predictor >= 2) {
        T->bp = malloc(p->predictor_entries);
        T->bp_mask = p->predictor_entries - 1;
    }
    T->ghist_mask = (1u << p->history_bits) - 1;      /* (history_bits <= RV_TIMING_MAX_HISTORY < 32) */
    if (p->btb_entries)
        T->btb = calloc(p->btb_entries, sizeof *T->btb);
    if ((p->predictor >= 2 && !T->bp) || (p->btb_entries && !T->btb)) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    return 0;
}

/* Forget all history: counters weakly not-taken, empty target table and return-address stack. */
void tm_branch_clear(rv_timing *T)
{
    T->ghist = 0;
    T->ras_top = T->ras_bottom = 0;
    if (T->bp) memset(T->bp, 1, T->bp_mask + 1);
    if (T->btb) memset(T->btb, 0, sizeof *T->btb * T->p.btb_entries);
}

void tm_branch_free(rv_timing *T)
{
    free(T->bp);
    free(T->btb);
    T->bp = NULL;
    T->btb = NULL;
}
