"""The C extension (Zca, Zcf's single-precision loads and stores on RV32, Zcd's double-precision ones).

Each compressed instruction names the 32-bit instruction it expands to (the core executes that one) and
the decoded-entry slots the expansion fixes: ``rs1=2`` is sp, ``rd=0`` discards the link.
RV32 and RV64 give some encodings different meanings: 0x2001 is c.jal on RV32 and c.addiw on RV64; the
c.ld/c.sd/c.ldsp/c.sdsp slots of RV64 are c.flw/c.fsw/c.flwsp/c.fswsp on RV32 (with F), and RV32's shifts
take 5-bit amounts (shamt[5]=1 is reserved for custom use there).
Reserved encodings (a zero immediate of c.addi4spn, c.addi16sp, c.lui; rd=0 of c.lwsp, c.ldsp, c.addiw;
rs1=0 of c.jr) are rejected by the operand kinds marked ``reserved_zero``.
"""

C = """
c.addi4spn   | c_rd_p, sp, c_nzuimm10      | 1..0=0 15..13=0                 | addi rs1=2
c.lw         | c_rd_p, c_uimm7(c_rs1_p)    | 1..0=0 15..13=2                 | lw
c.ld@rv64    | c_rd_p, c_uimm8(c_rs1_p)    | 1..0=0 15..13=3                 | ld
c.sw         | c_rs2_p, c_uimm7(c_rs1_p)   | 1..0=0 15..13=6                 | sw
c.sd@rv64    | c_rs2_p, c_uimm8(c_rs1_p)   | 1..0=0 15..13=7                 | sd
c.nop        |                             | 1..0=1 15..13=0 11..7=0 12=? 6..2=? | addi rd=0 rs1=0
c.addi       | c_rd_rs1_n0, c_nzimm6       | 1..0=1 15..13=0                 | addi
c.addiw@rv64 | c_rd_rs1_n0r, c_imm6        | 1..0=1 15..13=1                 | addiw
c.li         | c_rd_n0, c_imm6             | 1..0=1 15..13=2                 | addi rs1=0
c.addi16sp   | sp, c_nzimm10               | 1..0=1 15..13=3 11..7=2         | addi rd=2 rs1=2
c.lui        | c_rd_n2, c_nzimm18          | 1..0=1 15..13=3                 | lui
c.srli@rv64  | c_rd_rs1_p, c_nzuimm6       | 1..0=1 15..13=4 11..10=0        | srli
c.srai@rv64  | c_rd_rs1_p, c_nzuimm6       | 1..0=1 15..13=4 11..10=1        | srai
c.andi       | c_rd_rs1_p, c_imm6          | 1..0=1 15..13=4 11..10=2        | andi
c.sub        | c_rd_rs1_p, c_rs2_p         | 1..0=1 15..13=4 12..10=3 6..5=0 | sub
c.xor        | c_rd_rs1_p, c_rs2_p         | 1..0=1 15..13=4 12..10=3 6..5=1 | xor
c.or         | c_rd_rs1_p, c_rs2_p         | 1..0=1 15..13=4 12..10=3 6..5=2 | or
c.and        | c_rd_rs1_p, c_rs2_p         | 1..0=1 15..13=4 12..10=3 6..5=3 | and
c.subw@rv64  | c_rd_rs1_p, c_rs2_p         | 1..0=1 15..13=4 12..10=7 6..5=0 | subw
c.addw@rv64  | c_rd_rs1_p, c_rs2_p         | 1..0=1 15..13=4 12..10=7 6..5=1 | addw
c.j          | c_imm_j                     | 1..0=1 15..13=5                 | jal rd=0
c.beqz       | c_rs1_p, c_imm_b            | 1..0=1 15..13=6                 | beq rs2=0
c.bnez       | c_rs1_p, c_imm_b            | 1..0=1 15..13=7                 | bne rs2=0
c.slli@rv64  | c_rd_rs1_n0, c_nzuimm6      | 1..0=2 15..13=0                 | slli
c.lwsp       | c_rd_n0r, c_uimm8sp(sp)     | 1..0=2 15..13=2                 | lw rs1=2
c.ldsp@rv64  | c_rd_n0r, c_uimm9sp(sp)     | 1..0=2 15..13=3                 | ld rs1=2
c.jr         | c_rs1_n0                    | 1..0=2 15..13=4 12=0 6..2=0     | jalr rd=0
c.mv         | c_rd_n0, c_rs2_n0           | 1..0=2 15..13=4 12=0            | add rs1=0
c.ebreak     |                             | 1..0=2 15..13=4 12=1 11..2=0    | ebreak
c.jalr       | c_rs1_n0                    | 1..0=2 15..13=4 12=1 6..2=0     | jalr rd=1
c.add        | c_rd_rs1_n0, c_rs2_n0       | 1..0=2 15..13=4 12=1            | add
c.swsp       | c_rs2, c_uimm8sp_s(sp)      | 1..0=2 15..13=6                 | sw rs1=2
c.sdsp@rv64  | c_rs2, c_uimm9sp_s(sp)      | 1..0=2 15..13=7                 | sd rs1=2
"""

C_RV32 = """
c.jal        | c_imm_j                     | 1..0=1 15..13=1                 | jal rd=1
c.srli       | c_rd_rs1_p, c_nzuimm5       | 1..0=1 15..13=4 12..10=0        | srli
c.srai       | c_rd_rs1_p, c_nzuimm5       | 1..0=1 15..13=4 12..10=1        | srai
c.slli       | c_rd_rs1_n0, c_nzuimm5      | 1..0=2 15..12=0                 | slli
"""

# Zcf: compressed single-precision loads and stores (RV32 only).
C_F_RV32 = """
c.flw        | c_fd_p, c_uimm7(c_rs1_p)    | 1..0=0 15..13=3                 | flw
c.fsw        | c_fs2_p, c_uimm7(c_rs1_p)   | 1..0=0 15..13=7                 | fsw
c.flwsp      | c_fd, c_uimm8sp(sp)         | 1..0=2 15..13=3                 | flw rs1=2
c.fswsp      | c_fs2, c_uimm8sp_s(sp)      | 1..0=2 15..13=7                 | fsw rs1=2
"""

# Zcd: compressed double-precision loads and stores.
C_D = """
c.fld        | c_fd_p, c_uimm8(c_rs1_p)    | 1..0=0 15..13=1                 | fld
c.fsd        | c_fs2_p, c_uimm8(c_rs1_p)   | 1..0=0 15..13=5                 | fsd
c.fldsp      | c_fd, c_uimm9sp(sp)         | 1..0=2 15..13=1                 | fld rs1=2
c.fsdsp      | c_fs2, c_uimm9sp_s(sp)      | 1..0=2 15..13=5                 | fsd rs1=2
"""

TABLES = {"c": C, "c@rv32": C_RV32, "c+f@rv32": C_F_RV32, "c+d": C_D}
