	.file	"fp.c"
	.option nopic
	.attribute arch, "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0"
	.attribute unaligned_access, 0
	.attribute stack_align, 16
	.text
	.align	1
	.type	put_int, @function
put_int:
	srai	a4,a0,63
	xor	a5,a4,a0
	addi	sp,sp,-32
	sub	a5,a5,a4
	li	a4,10
	sb	a4,31(sp)
	addi	a2,sp,30
	li	a3,23
	li	a1,10
	li	a7,9
.L3:
	remu	a4,a5,a1
	addi	a2,a2,-1
	mv	a6,a5
	mv	t1,a3
	addiw	a3,a3,-1
	addiw	a4,a4,48
	sb	a4,1(a2)
	divu	a5,a5,a1
	bgtu	a6,a7,.L3
	bge	a0,zero,.L4
	addiw	a3,t1,-2
	addi	a5,a3,32
	add	a5,a5,sp
	li	a4,45
	sb	a4,-24(a5)
.L4:
	addi	a5,sp,8
	li	a2,24
	li	a0,1
	add	a1,a5,a3
	subw	a2,a2,a3
	li	a7,64
 #APP
# 7 "rt.h" 1
	ecall
# 0 "" 2
 #NO_APP
	addi	sp,sp,32
	jr	ra
	.size	put_int, .-put_int
	.align	1
	.globl	_start
	.type	_start, @function
_start:
	lui	a5,%hi(.LC0)
	addi	sp,sp,-32
	fld	ft0,%lo(.LC0)(a5)
	lui	a5,%hi(.LC1)
	fsd	fs1,0(sp)
	lui	a4,%hi(.LANCHOR0)
	fmv.w.x	fs1,zero
	fmv.d.x	fa1,zero
	fld	fa2,%lo(.LC1)(a5)
	addi	a4,a4,%lo(.LANCHOR0)
	sd	s0,16(sp)
	sd	ra,24(sp)
	fsd	fs0,8(sp)
	addi	a3,a4,120
	lui	s0,%hi(scale)
.L12:
	fld	fa5,8(a4)
	fld	fa3,0(a4)
	fmul.d	fa5,fa5,fa5
	fmadd.d	fa3,fa3,fa3,fa5
	fgt.d	a5,fa3,ft0
	fmv.d	fa5,fa3
	beq	a5,zero,.L21
.L9:
	li	a5,30
.L11:
	fdiv.d	fa4,fa3,fa5
	addiw	a5,a5,-1
	fadd.d	fa5,fa4,fa5
	fmul.d	fa5,fa5,fa2
	bne	a5,zero,.L11
	flw	fa3,16(a4)
	fld	fa4,%lo(scale)(s0)
	addi	a4,a4,24
	fcvt.d.s	fa0,fa3
	fcvt.s.d	fa4,fa4
	fmadd.d	fa1,fa0,fa5,fa1
	fmadd.s	fs1,fa3,fa4,fs1
	bne	a4,a3,.L12
	lui	a5,%hi(.LC2)
	fld	fs0,%lo(.LC2)(a5)
	fmul.d	fa1,fa1,fs0
	fcvt.l.d a0,fa1,rtz
	call	put_int
	lui	a5,%hi(.LC3)
	flw	fa5,%lo(.LC3)(a5)
	fmul.s	fs1,fs1,fa5
	fcvt.l.s a0,fs1,rtz
	call	put_int
	lui	a5,%hi(.LC4)
	fld	fa4,%lo(.LC4)(a5)
	fld	fa5,%lo(scale)(s0)
	fmul.d	fa5,fa5,fa4
	fcvt.l.d a0,fa5,rtz
	call	put_int
	li	a5,1
	li	a0,0
	li	a3,101
.L13:
	fcvt.d.l	fa5,a5
	addi	a5,a5,1
	fdiv.d	fa5,fs0,fa5
	fcvt.l.d a4,fa5,rtz
	add	a0,a0,a4
	bne	a5,a3,.L13
	call	put_int
	li	a0,0
	li	a1,0
	li	a2,0
	li	a7,93
 #APP
# 7 "rt.h" 1
	ecall
# 0 "" 2
 #NO_APP
.L14:
	j	.L14
.L21:
	fmv.d	fa5,ft0
	j	.L9
	.size	_start, .-_start
	.globl	scale
	.section	.srodata.cst8,"aM",@progbits,8
	.align	3
.LC0:
	.word	0
	.word	1072693248
	.align	3
.LC1:
	.word	0
	.word	1071644672
	.align	3
.LC2:
	.word	0
	.word	1093567616
	.section	.srodata.cst4,"aM",@progbits,4
	.align	2
.LC3:
	.word	1148846080
	.section	.srodata.cst8
	.align	3
.LC4:
	.word	-1073741824
	.word	1105615371
	.section	.rodata
	.align	3
	.set	.LANCHOR0,. + 0
	.type	pts, @object
	.size	pts, 120
pts:
	.word	0
	.word	1073217536
	.word	0
	.word	1073741824
	.word	1056964608
	.zero	4
	.word	0
	.word	-1073086464
	.word	0
	.word	1074790400
	.word	1065353216
	.zero	4
	.word	-1717986918
	.word	1069128089
	.word	-1717986918
	.word	1070176665
	.word	1073741824
	.zero	4
	.word	0
	.word	1076101120
	.word	0
	.word	-1074790400
	.word	1048576000
	.zero	4
	.word	0
	.word	1074266112
	.word	0
	.word	1074266112
	.word	1082130432
	.zero	4
	.section	.sdata,"aw"
	.align	3
	.type	scale, @object
	.size	scale, 8
scale:
	.word	1431655765
	.word	1070945621
	.ident	"GCC: (12.2.0-14+deb12u1+11+b2) 12.2.0"
