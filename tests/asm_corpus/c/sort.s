	.file	"sort.c"
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
	.type	quicksort.constprop.0, @function
quicksort.constprop.0:
	bge	a0,a1,.L31
	addi	sp,sp,-48
	sd	s2,16(sp)
	lui	s2,%hi(.LANCHOR0)
	sd	s3,8(sp)
	sd	s4,0(sp)
	sd	ra,40(sp)
	sd	s0,32(sp)
	sd	s1,24(sp)
	mv	s3,a0
	mv	s4,a1
	addi	s2,s2,%lo(.LANCHOR0)
.L9:
	add	a4,s3,s4
	srli	a5,a4,63
	add	a5,a5,a4
	srai	a5,a5,1
	slli	a5,a5,3
	add	a5,s2,a5
	ld	a2,0(a5)
	mv	s0,s4
	mv	s1,s3
.L14:
	bgt	s1,s0,.L15
.L35:
	slli	a5,s1,3
	add	a0,s2,a5
	ld	a3,0(a0)
	slli	a4,s0,3
	add	a6,s2,a4
	addi	a5,a5,8
	ld	a1,0(a6)
	add	a5,s2,a5
	ble	a2,a3,.L34
.L11:
	ld	a3,0(a5)
	mv	a0,a5
	addi	s1,s1,1
	addi	a5,a5,8
	bgt	a2,a3,.L11
	bge	a2,a1,.L12
.L21:
	addi	a5,a4,-8
	add	a5,s2,a5
.L13:
	ld	a1,0(a5)
	mv	a4,a5
	addi	s0,s0,-1
	addi	a5,a5,-8
	blt	a2,a1,.L13
	mv	a6,a4
.L12:
	blt	s0,s1,.L14
	sd	a1,0(a0)
	sd	a3,0(a6)
	addi	s1,s1,1
	addi	s0,s0,-1
.L36:
	ble	s1,s0,.L35
.L15:
	sub	a5,s0,s3
	sub	a4,s4,s1
	bge	a5,a4,.L18
	mv	a0,s3
	mv	a1,s0
	mv	s3,s1
	call	quicksort.constprop.0
	blt	s3,s4,.L9
.L37:
	ld	ra,40(sp)
	ld	s0,32(sp)
	ld	s1,24(sp)
	ld	s2,16(sp)
	ld	s3,8(sp)
	ld	s4,0(sp)
	addi	sp,sp,48
	jr	ra
.L34:
	blt	a2,a1,.L21
	sd	a1,0(a0)
	sd	a3,0(a6)
	addi	s1,s1,1
	addi	s0,s0,-1
	j	.L36
.L18:
	mv	a1,s4
	mv	a0,s1
	mv	s4,s0
	call	quicksort.constprop.0
	blt	s3,s4,.L9
	j	.L37
.L31:
	ret
	.size	quicksort.constprop.0, .-quicksort.constprop.0
	.align	1
	.type	fib, @function
fib:
	addi	sp,sp,-256
	sd	s1,232(sp)
	sd	ra,248(sp)
	sd	s0,240(sp)
	sd	s2,224(sp)
	sd	s3,216(sp)
	sd	s4,208(sp)
	sd	s5,200(sp)
	sd	s6,192(sp)
	sd	s7,184(sp)
	sd	s8,176(sp)
	sd	s9,168(sp)
	sd	s10,160(sp)
	sd	s11,152(sp)
	li	a5,1
	mv	s1,a0
	beq	a0,a5,.L39
	addi	a5,a0,-1
	andi	a4,a5,-2
	sub	s9,a0,a4
	li	s6,0
	li	a2,1
	mv	s0,a5
	beq	s1,s9,.L40
.L82:
	addi	s1,s1,-2
	andi	a5,s1,-2
	mv	s3,s6
	sub	s10,s0,a5
	li	s5,0
	mv	s6,s1
.L63:
	addi	a5,s0,-1
	beq	s0,s10,.L41
.L81:
	addi	s7,s0,-2
	andi	a4,s7,-2
	sub	s2,a5,a4
	li	s1,0
	mv	s8,s3
.L61:
	addi	s0,a5,-1
	beq	a5,s2,.L42
	addi	s11,a5,-2
	andi	a5,s11,-2
	sub	a3,s0,a5
	mv	a4,s5
	mv	a0,s0
	li	s4,0
	mv	a1,s8
	mv	s3,s1
	mv	s5,a3
	mv	s0,s2
.L59:
	addi	s1,a0,-1
	beq	a0,s5,.L43
	addi	a0,a0,-2
	andi	s8,a0,-2
	mv	t3,a1
	mv	a6,s3
	sd	s11,32(sp)
	mv	a3,s6
	mv	s11,s9
	sub	s8,s1,s8
	li	s2,0
	mv	t1,a4
	mv	a1,s4
	mv	s3,s5
	mv	s9,s0
	mv	a7,a0
	mv	s6,s7
.L57:
	addi	a5,s1,-1
	beq	s8,s1,.L44
	addi	s1,s1,-2
	andi	s5,s1,-2
	sub	s5,a5,s5
	li	s4,0
	mv	s7,s5
.L55:
	addi	s0,a5,-1
	beq	s7,a5,.L45
	addi	t4,a5,-2
	andi	a0,t4,-2
	addi	t0,a5,-3
	addi	t2,a5,-5
	sub	a5,s0,a0
	sd	a5,24(sp)
	mv	s5,t3
	li	a5,0
.L53:
	ld	a4,24(sp)
	addi	t6,s0,-1
	beq	a4,s0,.L46
	andi	a0,t0,-2
	sub	a4,t6,a0
	sd	a4,0(sp)
	sd	t1,8(sp)
	mv	a0,t6
	mv	t1,s11
	mv	t5,s6
	mv	s11,s10
	mv	t6,t4
	mv	s10,s9
	mv	t4,a3
	mv	s9,s3
	mv	a4,t2
	li	t3,0
	sd	a5,16(sp)
	mv	s3,s2
	mv	s6,s0
	mv	a3,s1
.L51:
	ld	a5,0(sp)
	beq	a0,a5,.L47
	addi	a5,a0,-2
	andi	ra,a4,-2
	addi	a0,a0,-4
	mv	s2,a5
	sub	s0,a0,ra
	li	s1,0
.L48:
	mv	a0,s2
	sd	a5,136(sp)
	sd	t6,128(sp)
	sd	t4,120(sp)
	sd	a3,112(sp)
	sd	a7,104(sp)
	sd	t5,96(sp)
	sd	t1,88(sp)
	sd	a4,80(sp)
	sd	t0,72(sp)
	sd	t2,64(sp)
	sd	t3,56(sp)
	sd	a1,48(sp)
	sd	a6,40(sp)
	addi	s2,s2,-2
	call	fib
	ld	a6,40(sp)
	ld	a1,48(sp)
	ld	t3,56(sp)
	ld	t2,64(sp)
	ld	t0,72(sp)
	ld	a4,80(sp)
	ld	t1,88(sp)
	ld	t5,96(sp)
	ld	a7,104(sp)
	ld	a3,112(sp)
	ld	t4,120(sp)
	ld	t6,128(sp)
	ld	a5,136(sp)
	add	s1,s1,a0
	li	a2,1
	bne	s0,s2,.L48
	andi	s0,a4,1
	add	s0,s0,s1
	mv	a0,a5
	add	t3,t3,s0
	addi	a4,a4,-2
	bgt	a5,a2,.L51
	mv	s2,s3
	ld	a5,16(sp)
	mv	s3,s9
	mv	s9,s10
	mv	s10,s11
	mv	s11,t1
	ld	t1,8(sp)
	mv	s0,s6
	mv	s1,a3
	mv	s6,t5
	mv	a3,t4
	mv	t4,t6
	mv	t6,a0
.L50:
	add	a0,t6,t3
	addi	s0,s0,-2
	add	a5,a5,a0
	addi	t0,t0,-2
	addi	t2,t2,-2
	bgt	s0,a2,.L53
	mv	t3,s5
.L52:
	add	a0,s0,a5
	add	s4,s4,a0
	mv	a5,t4
	bgt	t4,a2,.L55
	add	a5,a5,s4
	add	s2,s2,a5
	bgt	s1,a2,.L57
.L79:
	mv	s0,s9
	mv	s9,s11
	ld	s11,32(sp)
	mv	s4,a1
	mv	s5,s3
	mv	s7,s6
	mv	a4,t1
	mv	a1,t3
	mv	s3,a6
	mv	a0,a7
	mv	s6,a3
.L56:
	add	s1,s1,s2
	add	s4,s4,s1
	bgt	a0,a2,.L59
	mv	s2,s0
	mv	s8,a1
	mv	s5,a4
	mv	s1,s3
	mv	s0,a0
.L58:
	add	s4,s4,s0
	mv	a5,s11
	add	s1,s1,s4
	bgt	s11,a2,.L61
	add	s1,s1,a5
	mv	s3,s8
	mv	s0,s7
	add	s5,s5,s1
	bgt	s7,a2,.L63
.L80:
	mv	s1,s6
	add	s0,s0,s5
	mv	s6,s3
	add	s6,s6,s0
	bgt	s1,a2,.L78
.L75:
	add	s1,s1,s6
	j	.L39
.L45:
	addi	a5,a5,-2
	add	s4,s4,s0
	add	a5,a5,s4
	add	s2,s2,a5
	bgt	s1,a2,.L57
	j	.L79
.L46:
	mv	t3,s5
	addi	s0,s0,-2
	add	a5,a5,t6
	j	.L52
.L47:
	mv	s0,s6
	mv	s6,t5
	addi	t5,a0,-1
	mv	s2,s3
	mv	s1,a3
	mv	s3,s9
	mv	a3,t4
	mv	s9,s10
	mv	t4,t6
	mv	s10,s11
	ld	a5,16(sp)
	mv	s11,t1
	addi	t6,a0,-2
	ld	t1,8(sp)
	add	t3,t3,t5
	j	.L50
.L44:
	mv	s4,a1
	mv	s5,s3
	mv	s0,s9
	mv	s7,s6
	mv	s9,s11
	mv	a4,t1
	ld	s11,32(sp)
	mv	a1,t3
	mv	s3,a6
	mv	a0,a7
	mv	s6,a3
	addi	s1,s1,-2
	add	s2,s2,a5
	j	.L56
.L43:
	mv	a5,s1
	mv	s2,s0
	mv	s8,a1
	mv	s5,a4
	mv	s1,s3
	addi	s0,a0,-2
	add	s4,s4,a5
	j	.L58
.L42:
	add	s1,s1,s0
	addi	a5,a5,-2
	add	s1,s1,a5
	mv	s3,s8
	mv	s0,s7
	add	s5,s5,s1
	ble	s7,a2,.L80
	addi	a5,s0,-1
	bne	s0,s10,.L81
.L41:
	addi	s0,s0,-2
	add	s5,s5,a5
	mv	s1,s6
	add	s0,s0,s5
	mv	s6,s3
	add	s6,s6,s0
	ble	s1,a2,.L75
.L78:
	addi	a5,s1,-1
	mv	s0,a5
	bne	s1,s9,.L82
.L40:
	addi	s1,s1,-2
	add	a5,a5,s6
	add	s1,s1,a5
.L39:
	ld	ra,248(sp)
	ld	s0,240(sp)
	ld	s2,224(sp)
	ld	s3,216(sp)
	ld	s4,208(sp)
	ld	s5,200(sp)
	ld	s6,192(sp)
	ld	s7,184(sp)
	ld	s8,176(sp)
	ld	s9,168(sp)
	ld	s10,160(sp)
	ld	s11,152(sp)
	mv	a0,s1
	ld	s1,232(sp)
	addi	sp,sp,256
	jr	ra
	.size	fib, .-fib
	.align	1
	.globl	_start
	.type	_start, @function
_start:
	lui	a5,%hi(.LC0)
	ld	a6,%lo(.LC0)(a5)
	lui	a7,%hi(seed)
	lui	a5,%hi(.LC1)
	addi	sp,sp,-32
	lui	a3,%hi(.LANCHOR0)
	ld	a4,%lo(seed)(a7)
	ld	a0,%lo(.LC1)(a5)
	sd	s0,16(sp)
	li	a1,98304
	addi	s0,a3,%lo(.LANCHOR0)
	li	a2,-49152
	sd	s1,8(sp)
	sd	s2,0(sp)
	addi	s1,a3,%lo(.LANCHOR0)
	sd	ra,24(sp)
	addi	s2,s0,1600
	addi	a3,a3,%lo(.LANCHOR0)
	addi	a1,a1,1696
	addi	a2,a2,-848
.L84:
	mul	a4,a4,a6
	addi	a3,a3,8
	add	a4,a4,a0
	srli	a5,a4,33
	remu	a5,a5,a1
	add	a5,a5,a2
	sd	a5,-8(a3)
	bne	s2,a3,.L84
	li	a0,0
	li	a1,199
	sd	a4,%lo(seed)(a7)
	call	quicksort.constprop.0
	ld	a3,0(s1)
	addi	a4,s1,8
	li	a0,1
.L85:
	mv	a5,a3
	ld	a3,0(a4)
	addi	a4,a4,8
	slt	a5,a3,a5
	xori	a5,a5,1
	and	a0,a0,a5
	bne	s2,a4,.L85
	call	put_int
	ld	a0,0(s1)
	call	put_int
	ld	a0,1592(s1)
	call	put_int
	li	a0,20
	call	fib
	call	put_int
	li	a0,0
.L86:
	ld	a5,0(s0)
	slli	a4,a0,5
	sub	a0,a4,a0
	addi	s0,s0,8
	add	a0,a0,a5
	bne	s2,s0,.L86
	slli	a0,a0,32
	srli	a0,a0,32
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
.L87:
	j	.L87
	.size	_start, .-_start
	.globl	data
	.section	.srodata.cst8,"aM",@progbits,8
	.align	3
.LC0:
	.dword	6364136223846793005
	.align	3
.LC1:
	.dword	1442695040888963407
	.bss
	.align	3
	.set	.LANCHOR0,. + 0
	.type	data, @object
	.size	data, 1600
data:
	.zero	1600
	.section	.sdata,"aw"
	.align	3
	.type	seed, @object
	.size	seed, 8
seed:
	.dword	12345
	.ident	"GCC: (12.2.0-14+deb12u1+11+b2) 12.2.0"
