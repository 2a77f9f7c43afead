/* The cycle model's branch and jump prediction (docs/timing.md section 2.3): a static, bimodal or
 * gshare direction predictor for conditional branches (tm_predict_branch, inline in
 * timing_internal.h: it runs on every branch), a target table for indirect jumps and a return-address
 * stack for returns.
 */
#include <stdlib.h>
#include "timing_internal.h"

/* A jalr: predicted by the return-address stack (returns) or the target table; returns 1 when the
   target was predicted correctly.  A jalr that links pushes its return address, as a call does. */
int tm_predict_jalr(rv_timing *T, const rv_insn_t *e, uint64_t pc, uint64_t rs1v)
{
    const rv_timing_params *P = &T->p;
    uint64_t target = (rs1v + (uint64_t)e->imm) & ~1ull & T->addr_mask;
    int correct = 0;
    int is_return = (e->rs1 == 1 || e->rs1 == 5) && e->rd == RV_X_SINK;
    if (is_return && P->ras_entries) {
        if (T->ras_top > T->ras_bottom) {
            T->ras_top--;
            correct = T->ras[T->ras_top % RV_RAS_MAX] == target;
        }
    } else if (T->btb) {
        uint32_t i = (uint32_t)(pc >> 1) & (P->btb_entries - 1);
        correct = T->btb[i] == target;
        T->btb[i] = target;
    }
    if ((e->rd == 1 || e->rd == 5) && P->ras_entries)
        tm_ras_push(T, pc + e->len);
    return correct;
}

int tm_branch_init(rv_timing *T, char *err, size_t n)
{
    const rv_timing_params *p = &T->p;
    if (p->predictor >= 2) {
        T->bp = malloc(p->predictor_entries);
        T->bp_mask = p->predictor_entries - 1;
    }
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
