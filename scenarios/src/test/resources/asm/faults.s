# Loads through a null pointer: a page fault at line 5.
        .text
null_deref:
        xorl    %eax, %eax
        movq    8(%rax), %rdx
        ret
# Asks the kernel for getpid: asm mode has none.
getpid:
        movl    $39, %eax
        syscall
        ret
# Uses rbx without saving it, as no SysV function may.
clobbers_rbx:
        xorl    %ebx, %ebx
        ret
# Never returns.
spins:
1:      jmp     1b
