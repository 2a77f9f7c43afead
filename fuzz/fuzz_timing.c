/* libFuzzer harness: the cycle model.  The machine and stream are as in fuzz_exec.c (harness.h); the
 * last 16 bytes of the input are also a schedule of 8 (action, length) pairs: the model is enabled with
 * random parameters in the ranges rvsim.timing.config accepts, disabled, reset, read or traced
 * between runs of length * 8 instructions. */
#include "harness.h"

static uint32_t pick(fuzz_machine *f, uint32_t n) { return (uint32_t)(splitmix(&f->seed) % n); }
static uint32_t pow2(fuzz_machine *f, unsigned max_log) { return 1u << pick(f, max_log + 1); }

static void random_cache(fuzz_machine *f, rv_cache_params *c)
{
    if (pick(f, 4) == 0) { memset(c, 0, sizeof *c); return; }
    c->line = pow2(f, 7) < 4 ? 4 : pow2(f, 7);
    c->ways = 1 + pick(f, 8);
    c->size = c->line * c->ways * pow2(f, 8);
    c->latency = pick(f, 20);
    c->write_back = pick(f, 2);
}

static void random_params(fuzz_machine *f, rv_timing_params *p, uint32_t vlen)
{
    memset(p, 0, sizeof *p);
    int wild = pick(f, 16) == 0;        /* latencies far beyond any preset */
    p->issue_width = 1 + pick(f, 4);
    for (int i = 0; i < RV_TIMING_CLASSES; i++) {
        p->latency[i] = wild ? (uint32_t)splitmix(&f->seed) >> pick(f, 32) : pick(f, 40);
        p->occupancy[i] = pick(f, 4) ? 0 : pick(f, 40);
        p->unit_of[i] = pick(f, RV_TIMING_UNITS);
        p->v_pipe_of[i] = pick(f, RV_VPIPE_COUNT);
        p->v_cost[i] = pick(f, 9);
        p->v_extra[i] = pick(f, 16);
        p->v_tree_step[i] = pick(f, 16);
    }
    for (int u = 0; u < RV_TIMING_UNITS; u++)
        p->unit_count[u] = pick(f, 9);
    p->div_operand_dependent = pick(f, 2);
    p->div_bits_per_cycle = pick(f, 9);
    p->predictor = pick(f, 4);
    p->predictor_entries = pow2(f, 12);
    p->history_bits = pick(f, 31);
    p->btb_entries = pick(f, 3) ? pow2(f, 10) : 0;
    p->ras_entries = pick(f, 17);
    p->mispredict_penalty = pick(f, 20);
    p->taken_penalty = pick(f, 5);
    p->serialize_csr = pick(f, 2);
    random_cache(f, &p->l1i);
    random_cache(f, &p->l1d);
    random_cache(f, &p->l2);
    p->dram_latency = pick(f, 300);
    p->dram_bytes_per_cycle = pick(f, 65);
    p->v_enabled = pick(f, 4) != 0;
    p->vlen = p->v_enabled ? vlen : pick(f, 2) * 64;
    p->v_queue_depth = 1 + pick(f, 256);
    p->v_issue_latency = pick(f, 10);
    p->v_chaining = pick(f, 2);
    uint32_t dlen = 1 + pick(f, vlen * 8);
    for (int k = 0; k < RV_VPIPE_COUNT; k++) {
        p->v_pipes[k] = pick(f, 9);
        p->v_width[k] = pick(f, 2) ? dlen : 1 + pick(f, vlen * 8);
    }
    p->v_acc_latency = pick(f, 8);
    p->v_masked_factor = pick(f, 16);
    p->v_e64_mul_factor = pick(f, 5);
    p->v_strided_cycles = pick(f, 5);
    p->v_mem_via_l1 = pick(f, 2);
    p->v_to_scalar_latency = pick(f, 10);
    p->tile_te = pick(f, 3) ? 0 : 4u << pick(f, 4);
    p->dot_width = pick(f, 2) ? 0 : 1 + pick(f, vlen * 8);
    p->bf16_width = pick(f, 2) ? 0 : 1 + pick(f, vlen * 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_machine f;
    if (size < HEADER + 18 || !fuzz_setup(&f, data, size))
        return 0;
    const uint8_t *schedule = data + size - 16;
    uint32_t vlen = (uint32_t)(rv_hart(f.m)->vlenb * 8);
    rv_timing_trace_rec trace[64];
    uint64_t pcs[32];
    rv_timing_pc_stats stats[32];
    rv_timing_totals totals;
    for (int step = 0; step < 8; step++) {
        uint8_t action = schedule[2 * step], length = schedule[2 * step + 1];
        f.seed ^= action * 0x100000001b3ull;
        switch (action % 8) {
        case 0: case 1: case 2: {
            rv_timing_params p;
            random_params(&f, &p, vlen);
            rv_timing_enable(f.m, &p);      /* may refuse (-1): that is fine */
            break;
        }
        case 3: rv_timing_enable(f.m, NULL); break;
        case 4: rv_timing_reset(f.m); break;
        case 5:
            rv_timing_get_totals(f.m, &totals);
            if (rv_timing_pc_count(f.m) > 0)
                rv_timing_get_pcs(f.m, pcs, stats, 32);
            break;
        case 6:
            if (rv_timing_enabled(f.m))
                rv_timing_trace(f.m, trace, (action >> 3) % 65);
            break;
        case 7:
            rv_timing_trace_clear(f.m);
            (void)rv_timing_trace_used(f.m);
            break;
        }
        fuzz_run(&f, (uint64_t)length * 8);
    }
    rv_timing_get_totals(f.m, &totals);
    fuzz_finish(&f);
    return 0;
}
