	.file	"pic.c"
	.option pic
	.attribute arch, "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0"
	.attribute unaligned_access, 0
	.attribute stack_align, 16
	.text
.Ltext0:
	.cfi_sections	.debug_frame
	.file 0 "." "pic.c"
	.align	1
	.globl	add
	.type	add, @function
add:
.LFB0:
	.file 1 "pic.c"
	.loc 1 8 26
	.cfi_startproc
.LVL0:
	.loc 1 8 28
	.loc 1 8 42 is_stmt 0
	add	a0,a0,a1
.LVL1:
	ret
	.cfi_endproc
.LFE0:
	.size	add, .-add
	.align	1
	.globl	mul
	.type	mul, @function
mul:
.LFB1:
	.loc 1 9 26 is_stmt 1
	.cfi_startproc
.LVL2:
	.loc 1 9 28
	.loc 1 9 42 is_stmt 0
	mul	a0,a0,a1
.LVL3:
	ret
	.cfi_endproc
.LFE1:
	.size	mul, .-mul
	.align	1
	.globl	fold
	.type	fold, @function
fold:
.LFB3:
	.loc 1 23 1 is_stmt 1
	.cfi_startproc
.LVL4:
	addi	sp,sp,-48
	.cfi_def_cfa_offset 48
	sd	ra,40(sp)
	sd	s0,32(sp)
	sd	s1,24(sp)
	sd	s2,16(sp)
	sd	s3,8(sp)
	.cfi_offset 1, -8
	.cfi_offset 8, -16
	.cfi_offset 9, -24
	.cfi_offset 18, -32
	.cfi_offset 19, -40
	mv	s1,a0
	mv	a0,a1
.LVL5:
	.loc 1 24 5
	.loc 1 25 5
.LBB2:
	.loc 1 25 10
	.loc 1 25 23
	lla	s0,.LANCHOR0
	lla	s3,.LANCHOR0+128
	.loc 1 26 15 is_stmt 0
	mv	s2,s0
.LVL6:
.L4:
	.loc 1 26 9 is_stmt 1 discriminator 3
	.loc 1 26 15 is_stmt 0 discriminator 3
	ld	a1,0(s0)
	ld	a5,128(s2)
	add	a1,a1,a5
	jalr	s1
.LVL7:
	.loc 1 25 30 is_stmt 1 discriminator 3
	.loc 1 25 23 discriminator 3
	addi	s0,s0,8
.LVL8:
	bne	s0,s3,.L4
.LBE2:
	.loc 1 27 5
	.loc 1 28 1 is_stmt 0
	ld	ra,40(sp)
	.cfi_restore 1
	ld	s0,32(sp)
	.cfi_restore 8
.LVL9:
	ld	s1,24(sp)
	.cfi_restore 9
.LVL10:
	ld	s2,16(sp)
	.cfi_restore 18
	ld	s3,8(sp)
	.cfi_restore 19
	addi	sp,sp,48
	.cfi_def_cfa_offset 0
	jr	ra
	.cfi_endproc
.LFE3:
	.size	fold, .-fold
	.align	1
	.globl	_start
	.type	_start, @function
_start:
.LFB4:
	.loc 1 31 1 is_stmt 1
	.cfi_startproc
	addi	sp,sp,-32
	.cfi_def_cfa_offset 32
	sd	ra,24(sp)
	sd	s0,16(sp)
	sd	s1,8(sp)
	.cfi_offset 1, -8
	.cfi_offset 8, -16
	.cfi_offset 9, -24
	.loc 1 32 5
.LBB8:
	.loc 1 32 10
.LVL11:
	.loc 1 32 23
	lla	a5,.LANCHOR0
	lla	a2,.LANCHOR0+128
.LBE8:
	.loc 1 31 1 is_stmt 0
	li	a3,0
.LVL12:
.L8:
.LBB9:
	.loc 1 33 9 is_stmt 1 discriminator 3
	.loc 1 33 18 is_stmt 0 discriminator 3
	ld	a4,0(a5)
	add	a4,a4,a3
	sd	a4,0(a5)
	.loc 1 32 30 is_stmt 1 discriminator 3
.LVL13:
	.loc 1 32 23 discriminator 3
	addi	a3,a3,1
.LVL14:
	addi	a5,a5,8
	bne	a5,a2,.L8
.LBE9:
	.loc 1 34 5
	.loc 1 34 20 is_stmt 0
	lla	s1,.LANCHOR1
	li	a1,0
	ld	a0,0(s1)
	call	fold
.LVL15:
	mv	s0,a0
	.loc 1 34 39
	li	a1,1
	ld	a0,8(s1)
	call	fold
.LVL16:
	.loc 1 35 5 is_stmt 1
	.loc 1 36 5
.LBB10:
.LBB11:
	.loc 1 8 28
.LBE11:
.LBE10:
	.loc 1 36 18 is_stmt 0
	lla	a4,.LANCHOR2
	.loc 1 34 55
	andi	a5,a0,0xff
	.loc 1 34 36
	add	a5,a5,s0
.LBB13:
.LBB12:
	.loc 1 8 37
	ld	a3,.LANCHOR0+128
	add	a5,a5,a3
.LBE12:
.LBE13:
	.loc 1 36 18
	sd	a5,0(a4)
	.loc 1 37 5 is_stmt 1
.LVL17:
.LBB14:
.LBB15:
	.loc 1 15 5
	.loc 1 15 19 is_stmt 0
	li	a0,1
	.loc 1 16 5 is_stmt 1
	.loc 1 16 19 is_stmt 0
	lla	a1,.LANCHOR3
	.loc 1 17 5 is_stmt 1
	.loc 1 17 19 is_stmt 0
	li	a2,8
	.loc 1 18 5 is_stmt 1
	.loc 1 18 19 is_stmt 0
	li	a7,64
	.loc 1 19 5 is_stmt 1
#APP
# 19 "pic.c" 1
	ecall
# 0 "" 2
.LVL18:
#NO_APP
.LBE15:
.LBE14:
	.loc 1 38 5
	.loc 1 38 47 is_stmt 0
	ld	a0,0(a4)
	andi	a0,a0,127
	.loc 1 39 5 is_stmt 1
	.loc 1 39 19 is_stmt 0
	li	a7,93
	.loc 1 40 5 is_stmt 1
#APP
# 40 "pic.c" 1
	ecall
# 0 "" 2
#NO_APP
.L9:
	.loc 1 41 5 discriminator 1
	.loc 1 41 5 discriminator 1
	j	.L9
	.cfi_endproc
.LFE4:
	.size	_start, .-_start
	.globl	ops
	.globl	banner
	.globl	table
	.globl	counter
	.section	.rodata
	.align	3
	.set	.LANCHOR3,. + 0
	.type	banner, @object
	.size	banner, 9
banner:
	.string	"pic: ok\n"
	.data
	.align	3
	.set	.LANCHOR0,. + 0
	.type	table, @object
	.size	table, 128
table:
	.dword	1
	.dword	2
	.dword	3
	.zero	104
	.type	counter, @object
	.size	counter, 8
counter:
	.dword	5
	.bss
	.align	3
	.set	.LANCHOR2,. + 0
	.type	hidden_total, @object
	.size	hidden_total, 8
hidden_total:
	.zero	8
	.section	.data.rel.local,"aw"
	.align	3
	.set	.LANCHOR1,. + 0
	.type	ops, @object
	.size	ops, 16
ops:
	.dword	add
	.dword	mul
	.text
.Letext0:
	.section	.debug_info,"",@progbits
.Ldebug_info0:
	.4byte	0x341
	.2byte	0x5
	.byte	0x1
	.byte	0x8
	.4byte	.Ldebug_abbrev0
	.byte	0x11
	.4byte	.LASF11
	.byte	0x1d
	.4byte	.LASF0
	.4byte	.LASF1
	.8byte	.Ltext0
	.8byte	.Letext0-.Ltext0
	.4byte	.Ldebug_line0
	.byte	0x12
	.4byte	.LASF12
	.byte	0x1
	.byte	0x3
	.byte	0x10
	.4byte	0x3a
	.byte	0xa
	.4byte	0x3f
	.byte	0x13
	.4byte	0x53
	.4byte	0x53
	.byte	0xb
	.4byte	0x53
	.byte	0xb
	.4byte	0x53
	.byte	0
	.byte	0x4
	.byte	0x8
	.byte	0x5
	.4byte	.LASF2
	.byte	0x5
	.4byte	.LASF4
	.byte	0x5
	.byte	0x6
	.4byte	0x53
	.byte	0x9
	.byte	0x3
	.8byte	counter
	.byte	0x6
	.4byte	0x53
	.4byte	0x7f
	.byte	0x7
	.4byte	0x7f
	.byte	0xf
	.byte	0
	.byte	0x4
	.byte	0x8
	.byte	0x7
	.4byte	.LASF3
	.byte	0x5
	.4byte	.LASF5
	.byte	0x6
	.byte	0x6
	.4byte	0x6f
	.byte	0x9
	.byte	0x3
	.8byte	table
	.byte	0x6
	.4byte	0xb7
	.4byte	0xab
	.byte	0x7
	.4byte	0x7f
	.byte	0x8
	.byte	0
	.byte	0xc
	.4byte	0x9b
	.byte	0x4
	.byte	0x1
	.byte	0x8
	.4byte	.LASF6
	.byte	0xc
	.4byte	0xb0
	.byte	0x5
	.4byte	.LASF7
	.byte	0x7
	.byte	0xc
	.4byte	0xab
	.byte	0x9
	.byte	0x3
	.8byte	banner
	.byte	0x6
	.4byte	0x2e
	.4byte	0xe1
	.byte	0x7
	.4byte	0x7f
	.byte	0x1
	.byte	0
	.byte	0x14
	.string	"ops"
	.byte	0x1
	.byte	0xa
	.byte	0x7
	.4byte	0xd1
	.byte	0x9
	.byte	0x3
	.8byte	ops
	.byte	0x15
	.4byte	.LASF8
	.byte	0x1
	.byte	0xb
	.byte	0xd
	.4byte	0x53
	.byte	0x9
	.byte	0x3
	.8byte	hidden_total
	.byte	0x16
	.4byte	.LASF13
	.byte	0x1
	.byte	0x1e
	.byte	0x6
	.8byte	.LFB4
	.8byte	.LFE4-.LFB4
	.byte	0x1
	.byte	0x9c
	.4byte	0x1fa
	.byte	0x1
	.string	"g"
	.byte	0x23
	.byte	0xb
	.4byte	0x2e
	.byte	0xd
	.string	"a0"
	.byte	0x26
	.4byte	0x53
	.byte	0x1
	.byte	0x5a
	.byte	0xd
	.string	"a7"
	.byte	0x27
	.4byte	0x53
	.byte	0x1
	.byte	0x61
	.byte	0x17
	.4byte	.LLRL6
	.4byte	0x161
	.byte	0x8
	.string	"i"
	.byte	0x20
	.byte	0xe
	.4byte	0x1fa
	.4byte	.LLST7
	.byte	0
	.byte	0x18
	.4byte	0x2f8
	.8byte	.LBB10
	.4byte	.LLRL8
	.byte	0x1
	.byte	0x24
	.byte	0x14
	.4byte	0x184
	.byte	0xe
	.4byte	0x312
	.byte	0xe
	.4byte	0x309
	.byte	0
	.byte	0x19
	.4byte	0x26f
	.8byte	.LBB14
	.8byte	.LBE14-.LBB14
	.byte	0x1
	.byte	0x25
	.byte	0x5
	.4byte	0x1cf
	.byte	0x9
	.4byte	0x285
	.4byte	.LLST9
	.byte	0x9
	.4byte	0x27c
	.4byte	.LLST10
	.byte	0x2
	.4byte	0x28e
	.byte	0x1
	.byte	0x5a
	.byte	0x2
	.4byte	0x298
	.byte	0x1
	.byte	0x5b
	.byte	0x2
	.4byte	0x2a2
	.byte	0x1
	.byte	0x5c
	.byte	0x2
	.4byte	0x2ac
	.byte	0x1
	.byte	0x61
	.byte	0
	.byte	0x1a
	.8byte	.LVL15
	.4byte	0x201
	.4byte	0x1e6
	.byte	0xf
	.byte	0x1
	.byte	0x5b
	.byte	0x1
	.byte	0x30
	.byte	0
	.byte	0x1b
	.8byte	.LVL16
	.4byte	0x201
	.byte	0xf
	.byte	0x1
	.byte	0x5b
	.byte	0x1
	.byte	0x31
	.byte	0
	.byte	0
	.byte	0x1c
	.byte	0x4
	.byte	0x5
	.string	"int"
	.byte	0x1d
	.4byte	.LASF10
	.byte	0x1
	.byte	0x16
	.byte	0x6
	.4byte	0x53
	.8byte	.LFB3
	.8byte	.LFE3-.LFB3
	.byte	0x1
	.byte	0x9c
	.4byte	0x26f
	.byte	0x10
	.string	"f"
	.byte	0x16
	.byte	0x11
	.4byte	0x2e
	.4byte	.LLST2
	.byte	0x1e
	.4byte	.LASF9
	.byte	0x1
	.byte	0x16
	.byte	0x19
	.4byte	0x53
	.4byte	.LLST3
	.byte	0x8
	.string	"acc"
	.byte	0x18
	.byte	0xa
	.4byte	0x53
	.4byte	.LLST4
	.byte	0x1f
	.8byte	.LBB2
	.8byte	.LBE2-.LBB2
	.byte	0x8
	.string	"i"
	.byte	0x19
	.byte	0xe
	.4byte	0x1fa
	.4byte	.LLST5
	.byte	0
	.byte	0
	.byte	0x20
	.4byte	.LASF14
	.byte	0x1
	.byte	0xd
	.byte	0xd
	.byte	0x1
	.4byte	0x2b7
	.byte	0x3
	.string	"p"
	.byte	0xd
	.byte	0x23
	.4byte	0x2b7
	.byte	0x3
	.string	"n"
	.byte	0xd
	.byte	0x2b
	.4byte	0x53
	.byte	0x1
	.string	"a0"
	.byte	0xf
	.byte	0x13
	.4byte	0x53
	.byte	0x1
	.string	"a1"
	.byte	0x10
	.byte	0x13
	.4byte	0x53
	.byte	0x1
	.string	"a2"
	.byte	0x11
	.byte	0x13
	.4byte	0x53
	.byte	0x1
	.string	"a7"
	.byte	0x12
	.byte	0x13
	.4byte	0x53
	.byte	0
	.byte	0xa
	.4byte	0xb7
	.byte	0x21
	.string	"mul"
	.byte	0x1
	.byte	0x9
	.byte	0x6
	.4byte	0x53
	.8byte	.LFB1
	.8byte	.LFE1-.LFB1
	.byte	0x1
	.byte	0x9c
	.4byte	0x2f8
	.byte	0x10
	.string	"a"
	.byte	0x9
	.byte	0xf
	.4byte	0x53
	.4byte	.LLST1
	.byte	0x22
	.string	"b"
	.byte	0x1
	.byte	0x9
	.byte	0x17
	.4byte	0x53
	.byte	0x1
	.byte	0x5b
	.byte	0
	.byte	0x23
	.string	"add"
	.byte	0x1
	.byte	0x8
	.byte	0x6
	.4byte	0x53
	.byte	0x1
	.4byte	0x31c
	.byte	0x3
	.string	"a"
	.byte	0x8
	.byte	0xf
	.4byte	0x53
	.byte	0x3
	.string	"b"
	.byte	0x8
	.byte	0x17
	.4byte	0x53
	.byte	0
	.byte	0x24
	.4byte	0x2f8
	.8byte	.LFB0
	.8byte	.LFE0-.LFB0
	.byte	0x1
	.byte	0x9c
	.byte	0x9
	.4byte	0x309
	.4byte	.LLST0
	.byte	0x25
	.4byte	0x312
	.byte	0x1
	.byte	0x5b
	.byte	0
	.byte	0
	.section	.debug_abbrev,"",@progbits
.Ldebug_abbrev0:
	.byte	0x1
	.byte	0x34
	.byte	0
	.byte	0x3
	.byte	0x8
	.byte	0x3a
	.byte	0x21
	.byte	0x1
	.byte	0x3b
	.byte	0xb
	.byte	0x39
	.byte	0xb
	.byte	0x49
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0x2
	.byte	0x34
	.byte	0
	.byte	0x31
	.byte	0x13
	.byte	0x2
	.byte	0x18
	.byte	0
	.byte	0
	.byte	0x3
	.byte	0x5
	.byte	0
	.byte	0x3
	.byte	0x8
	.byte	0x3a
	.byte	0x21
	.byte	0x1
	.byte	0x3b
	.byte	0xb
	.byte	0x39
	.byte	0xb
	.byte	0x49
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0x4
	.byte	0x24
	.byte	0
	.byte	0xb
	.byte	0xb
	.byte	0x3e
	.byte	0xb
	.byte	0x3
	.byte	0xe
	.byte	0
	.byte	0
	.byte	0x5
	.byte	0x34
	.byte	0
	.byte	0x3
	.byte	0xe
	.byte	0x3a
	.byte	0x21
	.byte	0x1
	.byte	0x3b
	.byte	0xb
	.byte	0x39
	.byte	0xb
	.byte	0x49
	.byte	0x13
	.byte	0x3f
	.byte	0x19
	.byte	0x2
	.byte	0x18
	.byte	0
	.byte	0
	.byte	0x6
	.byte	0x1
	.byte	0x1
	.byte	0x49
	.byte	0x13
	.byte	0x1
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0x7
	.byte	0x21
	.byte	0
	.byte	0x49
	.byte	0x13
	.byte	0x2f
	.byte	0xb
	.byte	0
	.byte	0
	.byte	0x8
	.byte	0x34
	.byte	0
	.byte	0x3
	.byte	0x8
	.byte	0x3a
	.byte	0x21
	.byte	0x1
	.byte	0x3b
	.byte	0xb
	.byte	0x39
	.byte	0xb
	.byte	0x49
	.byte	0x13
	.byte	0x2
	.byte	0x17
	.byte	0
	.byte	0
	.byte	0x9
	.byte	0x5
	.byte	0
	.byte	0x31
	.byte	0x13
	.byte	0x2
	.byte	0x17
	.byte	0
	.byte	0
	.byte	0xa
	.byte	0xf
	.byte	0
	.byte	0xb
	.byte	0x21
	.byte	0x8
	.byte	0x49
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0xb
	.byte	0x5
	.byte	0
	.byte	0x49
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0xc
	.byte	0x26
	.byte	0
	.byte	0x49
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0xd
	.byte	0x34
	.byte	0
	.byte	0x3
	.byte	0x8
	.byte	0x3a
	.byte	0x21
	.byte	0x1
	.byte	0x3b
	.byte	0xb
	.byte	0x39
	.byte	0x21
	.byte	0x13
	.byte	0x49
	.byte	0x13
	.byte	0x2
	.byte	0x18
	.byte	0
	.byte	0
	.byte	0xe
	.byte	0x5
	.byte	0
	.byte	0x31
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0xf
	.byte	0x49
	.byte	0
	.byte	0x2
	.byte	0x18
	.byte	0x7e
	.byte	0x18
	.byte	0
	.byte	0
	.byte	0x10
	.byte	0x5
	.byte	0
	.byte	0x3
	.byte	0x8
	.byte	0x3a
	.byte	0x21
	.byte	0x1
	.byte	0x3b
	.byte	0xb
	.byte	0x39
	.byte	0xb
	.byte	0x49
	.byte	0x13
	.byte	0x2
	.byte	0x17
	.byte	0
	.byte	0
	.byte	0x11
	.byte	0x11
	.byte	0x1
	.byte	0x25
	.byte	0xe
	.byte	0x13
	.byte	0xb
	.byte	0x3
	.byte	0x1f
	.byte	0x1b
	.byte	0x1f
	.byte	0x11
	.byte	0x1
	.byte	0x12
	.byte	0x7
	.byte	0x10
	.byte	0x17
	.byte	0
	.byte	0
	.byte	0x12
	.byte	0x16
	.byte	0
	.byte	0x3
	.byte	0xe
	.byte	0x3a
	.byte	0xb
	.byte	0x3b
	.byte	0xb
	.byte	0x39
	.byte	0xb
	.byte	0x49
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0x13
	.byte	0x15
	.byte	0x1
	.byte	0x27
	.byte	0x19
	.byte	0x49
	.byte	0x13
	.byte	0x1
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0x14
	.byte	0x34
	.byte	0
	.byte	0x3
	.byte	0x8
	.byte	0x3a
	.byte	0xb
	.byte	0x3b
	.byte	0xb
	.byte	0x39
	.byte	0xb
	.byte	0x49
	.byte	0x13
	.byte	0x3f
	.byte	0x19
	.byte	0x2
	.byte	0x18
	.byte	0
	.byte	0
	.byte	0x15
	.byte	0x34
	.byte	0
	.byte	0x3
	.byte	0xe
	.byte	0x3a
	.byte	0xb
	.byte	0x3b
	.byte	0xb
	.byte	0x39
	.byte	0xb
	.byte	0x49
	.byte	0x13
	.byte	0x2
	.byte	0x18
	.byte	0
	.byte	0
	.byte	0x16
	.byte	0x2e
	.byte	0x1
	.byte	0x3f
	.byte	0x19
	.byte	0x3
	.byte	0xe
	.byte	0x3a
	.byte	0xb
	.byte	0x3b
	.byte	0xb
	.byte	0x39
	.byte	0xb
	.byte	0x27
	.byte	0x19
	.byte	0x11
	.byte	0x1
	.byte	0x12
	.byte	0x7
	.byte	0x40
	.byte	0x18
	.byte	0x7a
	.byte	0x19
	.byte	0x1
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0x17
	.byte	0xb
	.byte	0x1
	.byte	0x55
	.byte	0x17
	.byte	0x1
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0x18
	.byte	0x1d
	.byte	0x1
	.byte	0x31
	.byte	0x13
	.byte	0x52
	.byte	0x1
	.byte	0x55
	.byte	0x17
	.byte	0x58
	.byte	0xb
	.byte	0x59
	.byte	0xb
	.byte	0x57
	.byte	0xb
	.byte	0x1
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0x19
	.byte	0x1d
	.byte	0x1
	.byte	0x31
	.byte	0x13
	.byte	0x11
	.byte	0x1
	.byte	0x12
	.byte	0x7
	.byte	0x58
	.byte	0xb
	.byte	0x59
	.byte	0xb
	.byte	0x57
	.byte	0xb
	.byte	0x1
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0x1a
	.byte	0x48
	.byte	0x1
	.byte	0x7d
	.byte	0x1
	.byte	0x7f
	.byte	0x13
	.byte	0x1
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0x1b
	.byte	0x48
	.byte	0x1
	.byte	0x7d
	.byte	0x1
	.byte	0x7f
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0x1c
	.byte	0x24
	.byte	0
	.byte	0xb
	.byte	0xb
	.byte	0x3e
	.byte	0xb
	.byte	0x3
	.byte	0x8
	.byte	0
	.byte	0
	.byte	0x1d
	.byte	0x2e
	.byte	0x1
	.byte	0x3f
	.byte	0x19
	.byte	0x3
	.byte	0xe
	.byte	0x3a
	.byte	0xb
	.byte	0x3b
	.byte	0xb
	.byte	0x39
	.byte	0xb
	.byte	0x27
	.byte	0x19
	.byte	0x49
	.byte	0x13
	.byte	0x11
	.byte	0x1
	.byte	0x12
	.byte	0x7
	.byte	0x40
	.byte	0x18
	.byte	0x7c
	.byte	0x19
	.byte	0x1
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0x1e
	.byte	0x5
	.byte	0
	.byte	0x3
	.byte	0xe
	.byte	0x3a
	.byte	0xb
	.byte	0x3b
	.byte	0xb
	.byte	0x39
	.byte	0xb
	.byte	0x49
	.byte	0x13
	.byte	0x2
	.byte	0x17
	.byte	0
	.byte	0
	.byte	0x1f
	.byte	0xb
	.byte	0x1
	.byte	0x11
	.byte	0x1
	.byte	0x12
	.byte	0x7
	.byte	0
	.byte	0
	.byte	0x20
	.byte	0x2e
	.byte	0x1
	.byte	0x3
	.byte	0xe
	.byte	0x3a
	.byte	0xb
	.byte	0x3b
	.byte	0xb
	.byte	0x39
	.byte	0xb
	.byte	0x27
	.byte	0x19
	.byte	0x20
	.byte	0xb
	.byte	0x1
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0x21
	.byte	0x2e
	.byte	0x1
	.byte	0x3f
	.byte	0x19
	.byte	0x3
	.byte	0x8
	.byte	0x3a
	.byte	0xb
	.byte	0x3b
	.byte	0xb
	.byte	0x39
	.byte	0xb
	.byte	0x27
	.byte	0x19
	.byte	0x49
	.byte	0x13
	.byte	0x11
	.byte	0x1
	.byte	0x12
	.byte	0x7
	.byte	0x40
	.byte	0x18
	.byte	0x7a
	.byte	0x19
	.byte	0x1
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0x22
	.byte	0x5
	.byte	0
	.byte	0x3
	.byte	0x8
	.byte	0x3a
	.byte	0xb
	.byte	0x3b
	.byte	0xb
	.byte	0x39
	.byte	0xb
	.byte	0x49
	.byte	0x13
	.byte	0x2
	.byte	0x18
	.byte	0
	.byte	0
	.byte	0x23
	.byte	0x2e
	.byte	0x1
	.byte	0x3f
	.byte	0x19
	.byte	0x3
	.byte	0x8
	.byte	0x3a
	.byte	0xb
	.byte	0x3b
	.byte	0xb
	.byte	0x39
	.byte	0xb
	.byte	0x27
	.byte	0x19
	.byte	0x49
	.byte	0x13
	.byte	0x20
	.byte	0xb
	.byte	0x1
	.byte	0x13
	.byte	0
	.byte	0
	.byte	0x24
	.byte	0x2e
	.byte	0x1
	.byte	0x31
	.byte	0x13
	.byte	0x11
	.byte	0x1
	.byte	0x12
	.byte	0x7
	.byte	0x40
	.byte	0x18
	.byte	0x7a
	.byte	0x19
	.byte	0
	.byte	0
	.byte	0x25
	.byte	0x5
	.byte	0
	.byte	0x31
	.byte	0x13
	.byte	0x2
	.byte	0x18
	.byte	0
	.byte	0
	.byte	0
	.section	.debug_loclists,"",@progbits
	.4byte	.Ldebug_loc3-.Ldebug_loc2
.Ldebug_loc2:
	.2byte	0x5
	.byte	0x8
	.byte	0
	.4byte	0
.Ldebug_loc0:
.LLST7:
	.byte	0x7
	.8byte	.LVL11
	.8byte	.LVL12
	.byte	0x2
	.byte	0x30
	.byte	0x9f
	.byte	0x7
	.8byte	.LVL12
	.8byte	.LVL13
	.byte	0x1
	.byte	0x5d
	.byte	0x7
	.8byte	.LVL13
	.8byte	.LVL14
	.byte	0x3
	.byte	0x7d
	.byte	0x1
	.byte	0x9f
	.byte	0
.LLST9:
	.byte	0x7
	.8byte	.LVL17
	.8byte	.LVL18
	.byte	0x2
	.byte	0x38
	.byte	0x9f
	.byte	0
.LLST10:
	.byte	0x7
	.8byte	.LVL17
	.8byte	.LVL18
	.byte	0xa
	.byte	0x3
	.8byte	banner
	.byte	0x9f
	.byte	0
.LLST2:
	.byte	0x7
	.8byte	.LVL4
	.8byte	.LVL5
	.byte	0x1
	.byte	0x5a
	.byte	0x7
	.8byte	.LVL5
	.8byte	.LVL10
	.byte	0x1
	.byte	0x59
	.byte	0x7
	.8byte	.LVL10
	.8byte	.LFE3
	.byte	0x4
	.byte	0xa3
	.byte	0x1
	.byte	0x5a
	.byte	0x9f
	.byte	0
.LLST3:
	.byte	0x7
	.8byte	.LVL4
	.8byte	.LVL6
	.byte	0x1
	.byte	0x5b
	.byte	0x7
	.8byte	.LVL6
	.8byte	.LFE3
	.byte	0x4
	.byte	0xa3
	.byte	0x1
	.byte	0x5b
	.byte	0x9f
	.byte	0
.LLST4:
	.byte	0x7
	.8byte	.LVL5
	.8byte	.LVL6
	.byte	0x1
	.byte	0x5b
	.byte	0x7
	.8byte	.LVL6
	.8byte	.LVL7-1
	.byte	0x1
	.byte	0x5a
	.byte	0x7
	.8byte	.LVL7
	.8byte	.LFE3
	.byte	0x1
	.byte	0x5a
	.byte	0
.LLST5:
	.byte	0x7
	.8byte	.LVL5
	.8byte	.LVL6
	.byte	0x2
	.byte	0x30
	.byte	0x9f
	.byte	0x7
	.8byte	.LVL6
	.8byte	.LVL7
	.byte	0xf
	.byte	0x78
	.byte	0
	.byte	0x3
	.8byte	table
	.byte	0x1c
	.byte	0x33
	.byte	0x25
	.byte	0x9f
	.byte	0x7
	.8byte	.LVL7
	.8byte	.LVL8
	.byte	0x11
	.byte	0x78
	.byte	0
	.byte	0x3
	.8byte	table
	.byte	0x1c
	.byte	0x33
	.byte	0x25
	.byte	0x23
	.byte	0x1
	.byte	0x9f
	.byte	0x7
	.8byte	.LVL8
	.8byte	.LVL9
	.byte	0x11
	.byte	0x78
	.byte	0
	.byte	0x3
	.8byte	table+8
	.byte	0x1c
	.byte	0x33
	.byte	0x25
	.byte	0x23
	.byte	0x1
	.byte	0x9f
	.byte	0
.LLST1:
	.byte	0x7
	.8byte	.LVL2
	.8byte	.LVL3
	.byte	0x1
	.byte	0x5a
	.byte	0x7
	.8byte	.LVL3
	.8byte	.LFE1
	.byte	0x4
	.byte	0xa3
	.byte	0x1
	.byte	0x5a
	.byte	0x9f
	.byte	0
.LLST0:
	.byte	0x7
	.8byte	.LVL0
	.8byte	.LVL1
	.byte	0x1
	.byte	0x5a
	.byte	0x7
	.8byte	.LVL1
	.8byte	.LFE0
	.byte	0x4
	.byte	0xa3
	.byte	0x1
	.byte	0x5a
	.byte	0x9f
	.byte	0
.Ldebug_loc3:
	.section	.debug_aranges,"",@progbits
	.4byte	0x2c
	.2byte	0x2
	.4byte	.Ldebug_info0
	.byte	0x8
	.byte	0
	.2byte	0
	.2byte	0
	.8byte	.Ltext0
	.8byte	.Letext0-.Ltext0
	.8byte	0
	.8byte	0
	.section	.debug_rnglists,"",@progbits
.Ldebug_ranges0:
	.4byte	.Ldebug_ranges3-.Ldebug_ranges2
.Ldebug_ranges2:
	.2byte	0x5
	.byte	0x8
	.byte	0
	.4byte	0
.LLRL6:
	.byte	0x6
	.8byte	.LBB8
	.8byte	.LBE8
	.byte	0x6
	.8byte	.LBB9
	.8byte	.LBE9
	.byte	0
.LLRL8:
	.byte	0x6
	.8byte	.LBB10
	.8byte	.LBE10
	.byte	0x6
	.8byte	.LBB13
	.8byte	.LBE13
	.byte	0
.Ldebug_ranges3:
	.section	.debug_line,"",@progbits
.Ldebug_line0:
	.section	.debug_str,"MS",@progbits,1
.LASF7:
	.string	"banner"
.LASF10:
	.string	"fold"
.LASF12:
	.string	"op_fn"
.LASF3:
	.string	"long unsigned int"
.LASF9:
	.string	"init"
.LASF11:
	.string	"GNU C17 12.2.0 -mabi=lp64d -misa-spec=20191213 -march=rv64imafdc_zicsr_zifencei -g -O1 -ffreestanding -fno-builtin"
.LASF14:
	.string	"sys_write"
.LASF6:
	.string	"char"
.LASF2:
	.string	"long int"
.LASF8:
	.string	"hidden_total"
.LASF4:
	.string	"counter"
.LASF5:
	.string	"table"
.LASF13:
	.string	"_start"
	.section	.debug_line_str,"MS",@progbits,1
.LASF1:
	.string	"."
.LASF0:
	.string	"pic.c"
	.ident	"GCC: (Debian 12.2.0-13) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
