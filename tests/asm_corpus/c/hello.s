	.file	"hello.c"
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
	.section	.rodata.str1.8,"aMS",@progbits,1
	.align	3
.LC0:
	.string	"hello from rvsim\n"
	.align	3
.LC1:
	.string	" "
	.text
	.align	1
	.globl	_start
	.type	_start, @function
_start:
	addi	sp,sp,-64
	lui	a1,%hi(.LC0)
	sd	ra,56(sp)
	sd	s0,48(sp)
	sd	s1,40(sp)
	sd	s2,32(sp)
	sd	s3,24(sp)
	sd	s4,16(sp)
	sd	s5,8(sp)
	addi	a2,a1,%lo(.LC0)
	addi	a5,a1,%lo(.LC0)
.L9:
	lbu	a4,1(a5)
	mv	a3,a5
	addi	a5,a5,1
	bne	a4,zero,.L9
	sub	a2,a3,a2
	li	a0,1
	addi	a1,a1,%lo(.LC0)
	addi	a2,a2,1
	li	a7,64
 #APP
# 7 "rt.h" 1
	ecall
# 0 "" 2
 #NO_APP
	lui	s3,%hi(.LANCHOR0)
	addi	s3,s3,%lo(.LANCHOR0)
	lui	s0,%hi(.LC1)
	lui	s4,%hi(.LANCHOR1)
	addi	s0,s0,%lo(.LC1)
	addi	s4,s4,%lo(.LANCHOR1)
	addi	s2,s3,48
	li	a5,122
	lui	s5,%hi(counter)
	li	s1,6
.L14:
	ld	a1,0(s3)
	li	a2,0
	beq	a5,zero,.L10
.L11:
	addi	a2,a2,1
	add	a5,a1,a2
	lbu	a5,0(a5)
	bne	a5,zero,.L11
.L10:
	li	a0,1
	li	a7,64
 #APP
# 7 "rt.h" 1
	ecall
# 0 "" 2
 #NO_APP
	li	a0,1
	mv	a1,s0
	li	a2,1
 #APP
# 7 "rt.h" 1
	ecall
# 0 "" 2
 #NO_APP
	lw	a4,0(s4)
	li	a5,-1
	bgtu	a4,s1,.L12
	slliw	a5,a4,1
	addw	a5,a5,a4
	slliw	a5,a5,2
	subw	a5,a5,a4
	addiw	a5,a5,10
.L12:
	lw	a0,%lo(counter)(s5)
	addi	s3,s3,8
	addi	s4,s4,4
	addiw	a4,a0,1
	addw	a0,a0,a5
	sw	a4,%lo(counter)(s5)
	call	put_int
	beq	s3,s2,.L13
	ld	a5,0(s3)
	lbu	a5,0(a5)
	j	.L14
.L13:
	lui	a5,%hi(.LC2)
	ld	a0,%lo(.LC2)(a5)
	call	put_int
	li	a0,-42
	call	put_int
	lw	a0,%lo(counter)(s5)
	li	a1,0
	li	a2,0
	li	a7,93
 #APP
# 7 "rt.h" 1
	ecall
# 0 "" 2
 #NO_APP
.L15:
	j	.L15
	.size	_start, .-_start
	.globl	table
	.globl	counter
	.section	.rodata.str1.8
	.align	3
.LC3:
	.string	"zero"
	.align	3
.LC4:
	.string	"one"
	.align	3
.LC5:
	.string	"two"
	.align	3
.LC6:
	.string	"three"
	.align	3
.LC7:
	.string	"four"
	.align	3
.LC8:
	.string	"five"
	.section	.srodata.cst8,"aM",@progbits,8
	.align	3
.LC2:
	.dword	81985529216486895
	.section	.rodata
	.align	3
	.set	.LANCHOR0,. + 0
	.type	names, @object
	.size	names, 48
names:
	.dword	.LC3
	.dword	.LC4
	.dword	.LC5
	.dword	.LC6
	.dword	.LC7
	.dword	.LC8
	.data
	.align	3
	.set	.LANCHOR1,. + 0
	.type	table, @object
	.size	table, 32
table:
	.word	3
	.word	1
	.word	4
	.word	1
	.word	5
	.word	9
	.word	2
	.word	6
	.section	.sbss,"aw",@nobits
	.align	2
	.type	counter, @object
	.size	counter, 4
counter:
	.zero	4
	.ident	"GCC: (12.2.0-14+deb12u1+11+b2) 12.2.0"
