# A loop that touches every rule of the dataflow timing model at least once per few iterations:
# data-dependent conditional branches (an LCG picks the direction), an indirect jump through a
# table (BTB misses), call/ret (return stack), two load streams (504 lines 4160 bytes apart:
# DRAM on the first pass, then L2 hits as it overflows the L1; and 24 lines 64 KiB apart, which
# share one L1 set and one L2 set and so are served by the LLC), bursts of stores to fresh lines
# (they miss to DRAM and commit slowly: the store buffer fills), a full and a partial store-to-load
# overlap (forwarding and failed forwarding), a %gs: load with a non-zero base, cmov, imul, div,
# setcc, bt, a locked xadd, xchg with memory, wrgsbase (serializing on some profiles), prefetch,
# and after the loop mfence, lfence, rdtsc, rdtscp, pause and a syscall.
# Caller: %gs = data, %rsp = a stack, %r12 = iterations.
        .data
        .balign 64
table:  .quad case0, case1, case2, case3
        .balign 64
shared: .quad 0, 0, 0, 0
        .balign 64
data:   .quad 5, 7, 11, 13

        .bss
        .balign 4096
big:    .zero (1 << 21) + 24 * 65536 + (1 << 18)

        .text
        .globl mixed
mixed:
        leaq big(%rip), %rbx
        xorl %r13d, %r13d
        leaq big+(1 << 21)(%rip), %r11
        xorl %r10d, %r10d
        leaq 24 * 65536(%r11), %r9
        movl $0x2545F491, %r15d
        movl $3, %esi
1:      imull $1103515245, %r15d, %r15d
        addl $12345, %r15d
        movl %r15d, %eax
        shrl $16, %eax
        andl $3, %eax
        leaq table(%rip), %rcx
        jmp *(%rcx,%rax,8)
case0:  movq (%rbx,%r13), %rdx                 # stream A
        movq %rdx, 2048(%rbx,%r13)              # store to another line: misses
        movq %r15, (%r9)                        # a burst of stores to fresh lines
        movq %r15, 64(%r9)
        movq %r15, 128(%r9)
        movq %r15, 192(%r9)
        addq $256, %r9
        addq $4160, %r13
        cmpq $504 * 4160, %r13
        jb 5f
        xorl %r13d, %r13d
5:
        addq (%r11,%r10), %rdx                  # stream B
        addq $65536, %r10
        cmpq $24 * 65536, %r10
        jb 4f
        xorl %r10d, %r10d
4:
        prefetcht0 64(%rbx,%r13)
        jmp 2f
case1:  movw %ax, shared(%rip)                  # 2-byte store
        movq shared(%rip), %rdx                 # 8-byte load over it: forwarding fails
        btq $3, %rdx
        setc %dil
        movzbl %dil, %edi
        jmp 2f
case2:  call func
        jmp 2f
case3:  lock xaddq %rax, shared+8(%rip)
        rdgsbase %r14
        wrgsbase %r14
        xchgq %rdx, shared+24(%rip)
2:      testb $8, %r15b
        jz 3f
        cmovnzq %rdx, %rsi
        imulq %rdx, %rsi
3:      movq %rsi, shared+16(%rip)              # store
        movq shared+16(%rip), %rdi              # load covered by it: forwarded
        addq %gs:8, %rdi                        # %gs: load, non-zero base
        decq %r12
        jnz 1b
        mfence
        lfence
        rdtsc
        rdtscp
        pause
        xorl %eax, %eax
        syscall
        ud2

func:   pushq %rbp
        movq %rsp, %rbp
        movq %rdi, %rax
        xorl %edx, %edx
        movl $7, %ecx
        divq %rcx
        movq %rdx, %rdi
        popq %rbp
        ret
