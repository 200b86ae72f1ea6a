# Alignment in code and data sections: gas's multi-byte NOP padding (a jump over long padding),
# max-skip, explicit fills, .align counting bytes; branch relaxation across alignment; label
# differences folded at parse time only within one fragment.
        .text
        .globl entry
entry:
        nop
        .p2align 4
loop:   addq $1, %rax
        cmpq $100, %rax
        jb loop
        .balign 16
        movl %eax, %ebx
        .p2align 4,,5
        movl %ebx, %ecx
        .p2align 4,,15
        movl %ecx, %edx
        .balign 8, 0x90
        incl %edx
        .balign 8, 0xcc
        decl %edx
        .align 32
        negl %edx
        .p2align 8
        notl %edx
        .p2align 7
        jmp far
        .p2align 8
        .zero 3
        .p2align 8
far:    ret
1:      nop
        nop
2:      movl 2b-1b(%rax), %eax          # fixed distance: folded, disp8
        addl $2b-1b, %eax
3:      jmp 3b
4:      movl 4b-3b(%rax), %eax          # a relaxable jump in between: disp32
        movl 4b-1b(%rax), %eax
5:      .balign 16
6:      movl 6b-5b(%rax), %eax          # alignment in between: disp32
        movl .-6b(%rax), %eax           # folded
        .p2align 4
7:      movl 7b-6b(%rax), %eax
        .byte 1, 2
8:      movl 8b-7b(%rax), %eax          # data in between is fixed: folded
        .skip 3
9:      movl 9b-8b(%rax), %eax
        jmp 1f
        .skip 126
1:      jmp 1f
        .skip 127
1:      jmp 1b
        .skip 125
        jmp 1b
        ret

        .data
d0:     .byte 1
        .balign 8
d1:     .byte 2
        .align 8
d2:     .byte 3
        .p2align 3, 0xff
d3:     .byte 4
        .balign 4, 0xaa, 2
d4:     .short d4 - d0, d3 - d2
        .quad d0, d4 + 2, (d4 - d0) * 2
        .long 0x12345678, -1, 0xffffffff
        .word 0xffff, -32768
        .byte 'a, 0x7f, -128, 255
        .ascii "ab\n\t\"q\\", "x"
        .asciz "with \101 octal\0and nul"
        .string "s"
        .skip 5, 0xee
        .zero 2
        .quad . - d0
        .section .rodata
ro:     .long 1, 2, 3
        .quad entry, far, ro
