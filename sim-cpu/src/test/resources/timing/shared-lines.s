# Threads of one process on several cores contending for shared lines: a locked increment of a
# shared counter, a plain read-modify-write of a second shared line (modified lines move from core
# to core), a read of the counter after other cores wrote it, and a private line per thread.
# Caller: %rdi = this thread's private line, %r12 = iterations. Ends with a syscall.
        .data
        .balign 64
counter: .quad 0
        .balign 64
flag:   .quad 0
        .balign 64
        .globl private
private: .zero 64 * 4

        .text
        .globl worker
worker:
1:      lock incq counter(%rip)
        movq flag(%rip), %rax
        addq $1, %rax
        movq %rax, flag(%rip)
        movq (%rdi), %rdx
        addq %rax, %rdx
        movq %rdx, (%rdi)
        movq counter(%rip), %rcx
        cmpq $1000, %rcx
        jb 2f
        pause
2:      decq %r12
        jnz 1b
        xorl %eax, %eax
        syscall
        ud2
