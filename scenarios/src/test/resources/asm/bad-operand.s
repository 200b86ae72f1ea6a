        .text
f:
        movq    %rax, %rbx
        movq    (%rax, %rbx
        ret
