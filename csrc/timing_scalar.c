/* The cycle model's scalar side (docs/timing.md section 2): what each op costs, resolved once from the
 * ISA table's timing classes and the parameters into the per-op records the step reads (rv_top), and
 * the latency of an operand-dependent divider.  The issue logic itself (scoreboard, units, stalls) is
 * the step in timing.c.
 */
#include "timing_internal.h"

/* Resolve the per-op records (rv_top) from the ISA table and the parameters. */
void tm_build_op_table(rv_timing *T)
{
    const rv_timing_params *P = &T->p;
    for (unsigned op = 0; op < RV_OP_COUNT; op++) {
        const rv_op_timing_t *ot = &rv_op_timing[op];
        rv_top *o = &T->op[op];
        unsigned cls = ot->tclass, flags = ot->flags;
        memset(o, 0, sizeof *o);
        int is_vector = cls >= RV_TC_FIRST_VECTOR && cls != RV_TC_VSET;
        o->rcause = RV_STALL_DEP_ALU;
        switch (cls) {
        case RV_TC_LOAD: o->kind = RV_K_LOAD; break;
        case RV_TC_STORE: o->kind = RV_K_STORE; break;
        case RV_TC_AMO: o->kind = RV_K_AMO; break;
        case RV_TC_BRANCH: o->kind = RV_K_BRANCH; break;
        case RV_TC_JAL: o->kind = RV_K_JAL; break;
        case RV_TC_JALR: o->kind = RV_K_JALR; break;
        case RV_TC_MUL: case RV_TC_DIV:
            o->kind = RV_K_MULDIV;
            o->rcause = RV_STALL_DEP_MULDIV;
            if (cls == RV_TC_DIV && P->div_operand_dependent) o->special |= RV_SP_DIV;
            break;
        case RV_TC_FADD: case RV_TC_FMUL: case RV_TC_FMA: case RV_TC_FDIV: case RV_TC_FSQRT:
        case RV_TC_FMISC:
            o->kind = RV_K_FP;
            o->rcause = RV_STALL_DEP_FP;
            o->flops = (flags & RV_TF_FP) ? ((flags & RV_TF_FLOP2) ? 2 : 1) : 0;
            break;
        default:
            o->kind = is_vector ? RV_K_VECTOR : RV_K_PLAIN;
            if (is_vector) { o->special |= RV_SP_VECTOR; o->rcause = RV_STALL_DEP_VECTOR; }
            break;
        }
        for (int slot = 1; slot < 4; slot++) {
            unsigned kind = ot->slot[slot];
            o->src[slot] = kind == RV_SLOT_X ? 0 : kind == RV_SLOT_F ? RV_REG_F : RV_REG_NONE;
        }
        unsigned dkind = ot->slot[0];
        int dscalar = dkind == RV_SLOT_X || dkind == RV_SLOT_F;
        o->src[0] = RV_REG_NONE;
        if (dscalar && (flags & (RV_TF_RD_IS_SOURCE | RV_TF_READS_RD))) {
            o->src[0] = dkind == RV_SLOT_F ? RV_REG_F : 0;
            o->special |= RV_SP_RD_SOURCE;
        }
        int writes = dscalar && !(flags & RV_TF_RD_IS_SOURCE) &&
                     (!is_vector || (flags & RV_TF_SCALAR_RESULT));
        o->dst = writes ? (dkind == RV_SLOT_F ? RV_REG_F : 0) : RV_REG_JUNK;
        o->waw = dscalar && !(flags & RV_TF_RD_IS_SOURCE) && cls != RV_TC_LOAD && cls != RV_TC_AMO;
        o->lat = P->latency[cls];
        unsigned unit = P->unit_of[cls] < RV_TIMING_UNITS ? P->unit_of[cls] : 0;
        unsigned count = P->unit_count[unit];
        if (count > RV_TIMING_MAX_PIPES) count = RV_TIMING_MAX_PIPES;
        /* vector instructions only pass through the issue port: the vector unit keeps its own time */
        uint32_t occ = is_vector ? 1 : P->occupancy[cls] ? P->occupancy[cls] : o->lat;
        o->occ = occ ? occ : 1;
        o->unit = (uint8_t)unit;
        o->unit_count = (uint8_t)count;
        if (!count) {
            /* unlimited: a spare row that is never busy (occupancy 0 keeps it at the issue cycle) */
            o->unit = RV_TIMING_UNITS;
            o->unit_count = 1;
            o->occ = 0;
        }
        if ((cls == RV_TC_CSR || cls == RV_TC_FENCE || cls == RV_TC_SYSTEM) && P->serialize_csr)
            o->special |= RV_SP_SERIAL;
    }
}

/* Divide latency with an operand-dependent divider (section 2.1). */
uint64_t tm_divide_latency(const rv_timing_params *P, const rv_insn_t *e, uint64_t rs1v, uint64_t rs2v)
{
    int is32 = e->exec_op == RV_OP_DIVW || e->exec_op == RV_OP_DIVUW || e->exec_op == RV_OP_REMW ||
               e->exec_op == RV_OP_REMUW;
    int is_signed = e->exec_op == RV_OP_DIV || e->exec_op == RV_OP_REM || e->exec_op == RV_OP_DIVW ||
                    e->exec_op == RV_OP_REMW;
    uint64_t a = rs1v, b = rs2v;
    if (is32) { a = is_signed ? (uint64_t)(int64_t)(int32_t)a : (uint32_t)a;
                b = is_signed ? (uint64_t)(int64_t)(int32_t)b : (uint32_t)b; }
    if (is_signed) { if ((int64_t)a < 0) a = -a; if ((int64_t)b < 0) b = -b; }
    unsigned la = a ? 64 - __builtin_clzll(a) : 0, lb = b ? 64 - __builtin_clzll(b) : 0;
    unsigned qbits = (b && la >= lb) ? la - lb + 1 : 0;
    unsigned bpc = P->div_bits_per_cycle ? P->div_bits_per_cycle : 1;
    return P->latency[RV_TC_DIV] + (qbits + bpc - 1) / bpc;
}
