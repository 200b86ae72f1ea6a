# Repetition directives: .rept with a count from .set, .irp over registers, memory operands and
# quoted values, nesting in both orders, \() as a separator, numeric local labels defined afresh
# in each expansion, an empty .irp list, .rept 0 (the body is skipped), a one-line block, and a
# branch relaxed to rel32 over a repeated body.
        .text
        .globl  entry
        .set    ROUNDS, 3
entry:
        .rept   ROUNDS
        .irp    reg, %eax, %ecx, %r8d, %r11d
        addl    $1, \reg
        .endr
        .endr
        .irp    reg, %rbx %rbp, %r12
        pushq   \reg
        .endr
        .irp    reg, %r12, %rbp, %rbx
        popq    \reg
        .endr
spin:   .rept   2
1:      decl    %eax
        jnz     1b
        jmp     2f
        nop
2:
        .endr
        .rept   0
        not an instruction
        .endr
        .rept 2 ; incl %edx ; .endr
        .irp    m, 8(%rsp), (%rdi), "-16(%rbp,%rcx,4)"
        movq    \m, %rax
        .endr
        .irp    x
        negl    %eax\x
        .endr
        jmp     after
        .rept   40
        movl    $0x12345678, %eax
        .endr
after:
        .irp    n, 1, 2
        .rept   \n
        shll    $\n, %esi
        .endr
        .endr
        ret

        .data
table:
        .irp    v, 1,,2 "3"
        .byte   0x4\v
        .endr
        .irp    s, a, b
label_\s\()_x:
        .ascii  "\s"
        .endr
        .irp    s, "b c", d
        .ascii  "\s"
        .endr
        .rept   3
        .quad   table + 8 * 2
        .endr
