"""RV64I base, M, A, Zicsr, Zifencei, privileged instructions and the Zba/Zbb/Zbs bit manipulation
extensions.  Encodings are the ratified ones (riscv-opcodes data, unprivileged and privileged specs)."""

I = """
lui     | rd, imm_u        | 6..0=0x37
auipc   | rd, imm_u        | 6..0=0x17
jal     | rd, imm_j        | 6..0=0x6f
jalr    | rd, imm_i(rs1)   | 14..12=0 6..0=0x67
beq     | rs1, rs2, imm_b  | 14..12=0 6..0=0x63
bne     | rs1, rs2, imm_b  | 14..12=1 6..0=0x63
blt     | rs1, rs2, imm_b  | 14..12=4 6..0=0x63
bge     | rs1, rs2, imm_b  | 14..12=5 6..0=0x63
bltu    | rs1, rs2, imm_b  | 14..12=6 6..0=0x63
bgeu    | rs1, rs2, imm_b  | 14..12=7 6..0=0x63
lb      | rd, imm_i(rs1)   | 14..12=0 6..0=0x3
lh      | rd, imm_i(rs1)   | 14..12=1 6..0=0x3
lw      | rd, imm_i(rs1)   | 14..12=2 6..0=0x3
lbu     | rd, imm_i(rs1)   | 14..12=4 6..0=0x3
lhu     | rd, imm_i(rs1)   | 14..12=5 6..0=0x3
sb      | rs2, imm_s(rs1)  | 14..12=0 6..0=0x23
sh      | rs2, imm_s(rs1)  | 14..12=1 6..0=0x23
sw      | rs2, imm_s(rs1)  | 14..12=2 6..0=0x23
addi    | rd, rs1, imm_i   | 14..12=0 6..0=0x13
slti    | rd, rs1, imm_i   | 14..12=2 6..0=0x13
sltiu   | rd, rs1, imm_i   | 14..12=3 6..0=0x13
xori    | rd, rs1, imm_i   | 14..12=4 6..0=0x13
ori     | rd, rs1, imm_i   | 14..12=6 6..0=0x13
andi    | rd, rs1, imm_i   | 14..12=7 6..0=0x13
add     | rd, rs1, rs2     | 31..25=0 14..12=0 6..0=0x33
sub     | rd, rs1, rs2     | 31..25=32 14..12=0 6..0=0x33
sll     | rd, rs1, rs2     | 31..25=0 14..12=1 6..0=0x33
slt     | rd, rs1, rs2     | 31..25=0 14..12=2 6..0=0x33
sltu    | rd, rs1, rs2     | 31..25=0 14..12=3 6..0=0x33
xor     | rd, rs1, rs2     | 31..25=0 14..12=4 6..0=0x33
srl     | rd, rs1, rs2     | 31..25=0 14..12=5 6..0=0x33
sra     | rd, rs1, rs2     | 31..25=32 14..12=5 6..0=0x33
or      | rd, rs1, rs2     | 31..25=0 14..12=6 6..0=0x33
and     | rd, rs1, rs2     | 31..25=0 14..12=7 6..0=0x33
fence   | pred, succ       | 14..12=0 31..28=? 19..15=? 11..7=? 6..0=0xf
ecall   |                  | 31..20=0x000 19..7=0 6..0=0x73
ebreak  |                  | 31..20=0x001 19..7=0 6..0=0x73
"""

# RV64I: doubleword loads and stores, 6-bit shift amounts and the 32-bit "W" operations.
I_RV64 = """
lwu    | rd, imm_i(rs1)   | 14..12=6 6..0=0x3
ld     | rd, imm_i(rs1)   | 14..12=3 6..0=0x3
sd     | rs2, imm_s(rs1)  | 14..12=3 6..0=0x23
slli   | rd, rs1, shamt6  | 31..26=0 14..12=1 6..0=0x13
srli   | rd, rs1, shamt6  | 31..26=0 14..12=5 6..0=0x13
srai   | rd, rs1, shamt6  | 31..26=16 14..12=5 6..0=0x13
addiw  | rd, rs1, imm_i   | 14..12=0 6..0=0x1b
slliw  | rd, rs1, shamt5  | 31..25=0 14..12=1 6..0=0x1b
srliw  | rd, rs1, shamt5  | 31..25=0 14..12=5 6..0=0x1b
sraiw  | rd, rs1, shamt5  | 31..25=32 14..12=5 6..0=0x1b
addw   | rd, rs1, rs2     | 31..25=0 14..12=0 6..0=0x3b
subw   | rd, rs1, rs2     | 31..25=32 14..12=0 6..0=0x3b
sllw   | rd, rs1, rs2     | 31..25=0 14..12=1 6..0=0x3b
srlw   | rd, rs1, rs2     | 31..25=0 14..12=5 6..0=0x3b
sraw   | rd, rs1, rs2     | 31..25=32 14..12=5 6..0=0x3b
"""

# RV32I: shift amounts are 5 bits; shamt[5]=1 is reserved (the encodings of RV64's slli/srli/srai with a
# shift of 32 or more).
I_RV32 = """
slli   | rd, rs1, shamt5  | 31..25=0 14..12=1 6..0=0x13
srli   | rd, rs1, shamt5  | 31..25=0 14..12=5 6..0=0x13
srai   | rd, rs1, shamt5  | 31..25=32 14..12=5 6..0=0x13
"""

M = """
mul     | rd, rs1, rs2  | 31..25=1 14..12=0 6..0=0x33
mulh    | rd, rs1, rs2  | 31..25=1 14..12=1 6..0=0x33
mulhsu  | rd, rs1, rs2  | 31..25=1 14..12=2 6..0=0x33
mulhu   | rd, rs1, rs2  | 31..25=1 14..12=3 6..0=0x33
div     | rd, rs1, rs2  | 31..25=1 14..12=4 6..0=0x33
divu    | rd, rs1, rs2  | 31..25=1 14..12=5 6..0=0x33
rem     | rd, rs1, rs2  | 31..25=1 14..12=6 6..0=0x33
remu    | rd, rs1, rs2  | 31..25=1 14..12=7 6..0=0x33
"""

M_RV64 = """
mulw   | rd, rs1, rs2  | 31..25=1 14..12=0 6..0=0x3b
divw   | rd, rs1, rs2  | 31..25=1 14..12=4 6..0=0x3b
divuw  | rd, rs1, rs2  | 31..25=1 14..12=5 6..0=0x3b
remw   | rd, rs1, rs2  | 31..25=1 14..12=6 6..0=0x3b
remuw  | rd, rs1, rs2  | 31..25=1 14..12=7 6..0=0x3b
"""

A = """
lr.w       | rd, (rs1) ; aqrl       | 24..20=0 31..29=0 28..27=2 14..12=2 6..0=0x2f
sc.w       | rd, rs2, (rs1) ; aqrl  | 31..29=0 28..27=3 14..12=2 6..0=0x2f
amoswap.w  | rd, rs2, (rs1) ; aqrl  | 31..29=0 28..27=1 14..12=2 6..0=0x2f
amoadd.w   | rd, rs2, (rs1) ; aqrl  | 31..29=0 28..27=0 14..12=2 6..0=0x2f
amoxor.w   | rd, rs2, (rs1) ; aqrl  | 31..29=1 28..27=0 14..12=2 6..0=0x2f
amoand.w   | rd, rs2, (rs1) ; aqrl  | 31..29=3 28..27=0 14..12=2 6..0=0x2f
amoor.w    | rd, rs2, (rs1) ; aqrl  | 31..29=2 28..27=0 14..12=2 6..0=0x2f
amomin.w   | rd, rs2, (rs1) ; aqrl  | 31..29=4 28..27=0 14..12=2 6..0=0x2f
amomax.w   | rd, rs2, (rs1) ; aqrl  | 31..29=5 28..27=0 14..12=2 6..0=0x2f
amominu.w  | rd, rs2, (rs1) ; aqrl  | 31..29=6 28..27=0 14..12=2 6..0=0x2f
amomaxu.w  | rd, rs2, (rs1) ; aqrl  | 31..29=7 28..27=0 14..12=2 6..0=0x2f
"""

A_RV64 = """
lr.d       | rd, (rs1) ; aqrl       | 24..20=0 31..29=0 28..27=2 14..12=3 6..0=0x2f
sc.d       | rd, rs2, (rs1) ; aqrl  | 31..29=0 28..27=3 14..12=3 6..0=0x2f
amoswap.d  | rd, rs2, (rs1) ; aqrl  | 31..29=0 28..27=1 14..12=3 6..0=0x2f
amoadd.d   | rd, rs2, (rs1) ; aqrl  | 31..29=0 28..27=0 14..12=3 6..0=0x2f
amoxor.d   | rd, rs2, (rs1) ; aqrl  | 31..29=1 28..27=0 14..12=3 6..0=0x2f
amoand.d   | rd, rs2, (rs1) ; aqrl  | 31..29=3 28..27=0 14..12=3 6..0=0x2f
amoor.d    | rd, rs2, (rs1) ; aqrl  | 31..29=2 28..27=0 14..12=3 6..0=0x2f
amomin.d   | rd, rs2, (rs1) ; aqrl  | 31..29=4 28..27=0 14..12=3 6..0=0x2f
amomax.d   | rd, rs2, (rs1) ; aqrl  | 31..29=5 28..27=0 14..12=3 6..0=0x2f
amominu.d  | rd, rs2, (rs1) ; aqrl  | 31..29=6 28..27=0 14..12=3 6..0=0x2f
amomaxu.d  | rd, rs2, (rs1) ; aqrl  | 31..29=7 28..27=0 14..12=3 6..0=0x2f
"""

ZICSR = """
csrrw   | rd, csr, rs1    | 14..12=1 6..0=0x73
csrrs   | rd, csr, rs1    | 14..12=2 6..0=0x73
csrrc   | rd, csr, rs1    | 14..12=3 6..0=0x73
csrrwi  | rd, csr, zimm5  | 14..12=5 6..0=0x73
csrrsi  | rd, csr, zimm5  | 14..12=6 6..0=0x73
csrrci  | rd, csr, zimm5  | 14..12=7 6..0=0x73
"""

ZIFENCEI = """
fence.i  |   | 14..12=1 31..20=? 19..15=? 11..7=? 6..0=0xf
"""

# Machine-mode instructions (ecall/ebreak live in I).
PRIV = """
mret  |   | 11..7=0 19..15=0 31..20=0x302 14..12=0 6..0=0x73
wfi   |   | 11..7=0 19..15=0 31..20=0x105 14..12=0 6..0=0x73
"""

ZBA = """
sh1add  | rd, rs1, rs2  | 31..25=16 14..12=2 6..0=0x33
sh2add  | rd, rs1, rs2  | 31..25=16 14..12=4 6..0=0x33
sh3add  | rd, rs1, rs2  | 31..25=16 14..12=6 6..0=0x33
"""

# The .uw forms act on the low 32 bits of rs1: RV64 only.
ZBA_RV64 = """
add.uw     | rd, rs1, rs2     | 31..25=4 14..12=0 6..0=0x3b
sh1add.uw  | rd, rs1, rs2     | 31..25=16 14..12=2 6..0=0x3b
sh2add.uw  | rd, rs1, rs2     | 31..25=16 14..12=4 6..0=0x3b
sh3add.uw  | rd, rs1, rs2     | 31..25=16 14..12=6 6..0=0x3b
slli.uw    | rd, rs1, shamt6  | 31..26=2 14..12=1 6..0=0x1b
"""

ZBB = """
andn    | rd, rs1, rs2  | 31..25=32 14..12=7 6..0=0x33
orn     | rd, rs1, rs2  | 31..25=32 14..12=6 6..0=0x33
xnor    | rd, rs1, rs2  | 31..25=32 14..12=4 6..0=0x33
clz     | rd, rs1       | 31..20=0x600 14..12=1 6..0=0x13
ctz     | rd, rs1       | 31..20=0x601 14..12=1 6..0=0x13
cpop    | rd, rs1       | 31..20=0x602 14..12=1 6..0=0x13
max     | rd, rs1, rs2  | 31..25=5 14..12=6 6..0=0x33
maxu    | rd, rs1, rs2  | 31..25=5 14..12=7 6..0=0x33
min     | rd, rs1, rs2  | 31..25=5 14..12=4 6..0=0x33
minu    | rd, rs1, rs2  | 31..25=5 14..12=5 6..0=0x33
sext.b  | rd, rs1       | 31..20=0x604 14..12=1 6..0=0x13
sext.h  | rd, rs1       | 31..20=0x605 14..12=1 6..0=0x13
rol     | rd, rs1, rs2  | 31..25=0x30 14..12=1 6..0=0x33
ror     | rd, rs1, rs2  | 31..25=0x30 14..12=5 6..0=0x33
orc.b   | rd, rs1       | 31..20=0x287 14..12=0x5 6..0=0x13
"""

# zext.h is pack/packw with rs2=x0 and rev8 encodes the XLEN in its immediate, so both differ by XLEN.
ZBB_RV64 = """
zext.h | rd, rs1          | 31..25=0x04 24..20=0 14..12=4 6..0=0x3b
clzw   | rd, rs1          | 31..20=0x600 14..12=1 6..0=0x1b
ctzw   | rd, rs1          | 31..20=0x601 14..12=1 6..0=0x1b
cpopw  | rd, rs1          | 31..20=0x602 14..12=1 6..0=0x1b
rolw   | rd, rs1, rs2     | 31..25=0x30 14..12=1 6..0=0x3b
rorw   | rd, rs1, rs2     | 31..25=0x30 14..12=5 6..0=0x3b
roriw  | rd, rs1, shamt5  | 31..25=0x30 14..12=5 6..0=0x1b
rori   | rd, rs1, shamt6  | 31..26=0x18 14..12=5 6..0=0x13
rev8   | rd, rs1          | 31..20=0x6B8 14..12=5 6..0=0x13
"""

ZBB_RV32 = """
zext.h | rd, rs1          | 31..25=0x04 24..20=0 14..12=4 6..0=0x33
rori   | rd, rs1, shamt5  | 31..25=0x30 14..12=5 6..0=0x13
rev8   | rd, rs1          | 31..20=0x698 14..12=5 6..0=0x13
"""

ZBS = """
bclr  | rd, rs1, rs2  | 31..25=0x24 14..12=1 6..0=0x33
bext  | rd, rs1, rs2  | 31..25=36 14..12=5 6..0=0x33
binv  | rd, rs1, rs2  | 31..25=52 14..12=1 6..0=0x33
bset  | rd, rs1, rs2  | 31..25=20 14..12=1 6..0=0x33
"""

ZBS_RV64 = """
bclri  | rd, rs1, shamt6  | 31..26=0x12 14..12=1 6..0=0x13
bexti  | rd, rs1, shamt6  | 31..26=0x12 14..12=5 6..0=0x13
binvi  | rd, rs1, shamt6  | 31..26=0x1a 14..12=1 6..0=0x13
bseti  | rd, rs1, shamt6  | 31..26=0x0a 14..12=1 6..0=0x13
"""

ZBS_RV32 = """
bclri  | rd, rs1, shamt5  | 31..25=0x24 14..12=1 6..0=0x13
bexti  | rd, rs1, shamt5  | 31..25=0x24 14..12=5 6..0=0x13
binvi  | rd, rs1, shamt5  | 31..25=0x34 14..12=1 6..0=0x13
bseti  | rd, rs1, shamt5  | 31..25=0x14 14..12=1 6..0=0x13
"""

# Carry-less multiplication (bitmanip, Zbc): the low, high and reversed XLEN bits of the 2*XLEN-bit
# carry-less product.
ZBC = """
clmul   | rd, rs1, rs2  | 31..25=5 14..12=1 6..0=0x33
clmulr  | rd, rs1, rs2  | 31..25=5 14..12=2 6..0=0x33
clmulh  | rd, rs1, rs2  | 31..25=5 14..12=3 6..0=0x33
"""

# Keys name the extension; "@rv64" / "@rv32" mark encodings of that XLEN only.
TABLES = {"i": I, "i@rv64": I_RV64, "i@rv32": I_RV32, "m": M, "m@rv64": M_RV64, "a": A, "a@rv64": A_RV64,
          "zicsr": ZICSR, "zifencei": ZIFENCEI, "priv": PRIV, "zba": ZBA, "zba@rv64": ZBA_RV64, "zbb": ZBB,
          "zbb@rv64": ZBB_RV64, "zbb@rv32": ZBB_RV32, "zbs": ZBS, "zbs@rv64": ZBS_RV64, "zbs@rv32": ZBS_RV32,
          "zbc": ZBC}
