# Slab slow paths shared by every ABI variant (TCMalloc's underflow/overflow handlers in the
# shape of cpu_cache.h Refill/Overflow, simplified): a central free list per size class, an
# array stack under a `lock cmpxchg` spinlock, moving BATCH objects at a time.
# Calling convention: %r15 = the calling thread's block (TB_* offsets); callee-saved registers
# preserved; %rax %rcx %rdx %rsi %rdi %r8-%r11 clobbered.

# slab_pop_slow(%rsi = class) -> %rax = object or 0: refill from the central list. The top
# central object is the result; the rest of the batch is pushed into the slab (slab_push_try,
# from the batch's top down), and whatever does not fit goes back to the central list.
slab_pop_slow:
        push %rbx
        push %r12
        push %r13
        movq %rsi, %rbx
        leaq TB_XFER(%r15), %rdi
        movl $BATCH, %edx
        call central_take
        testq %rax, %rax
        jz 9f
        leaq -1(%rax), %r12
        movq TB_XFER(%r15,%r12,8), %r13
1:      testq %r12, %r12
        jz 8f
        movq TB_XFER-8(%r15,%r12,8), %rdi
        movq %rbx, %rsi
        call slab_push_try
        testl %eax, %eax
        jz 7f
        decq %r12
        jmp 1b
7:      movq %rbx, %rsi
        leaq TB_XFER(%r15), %rdi
        movq %r12, %rdx
        call central_give
8:      movq %r13, %rax
9:      pop %r13
        pop %r12
        pop %rbx
        ret

# slab_push_slow(%rdi = object, %rsi = class): the object and up to BATCH-1 objects popped from
# the slab's top (slab_pop_try) go to the central list, in that order.
slab_push_slow:
        push %rbx
        push %r12
        movq %rsi, %rbx
        movq %rdi, TB_XFER(%r15)
        movl $1, %r12d
1:      cmpq $BATCH, %r12
        jae 2f
        movq %rbx, %rsi
        call slab_pop_try
        testq %rax, %rax
        jz 2f
        movq %rax, TB_XFER(%r15,%r12,8)
        incq %r12
        jmp 1b
2:      movq %rbx, %rsi
        leaq TB_XFER(%r15), %rdi
        movq %r12, %rdx
        call central_give
        pop %r12
        pop %rbx
        ret

# central_take(%rsi = class, %rdi = destination, %rdx = most) -> %rax = n: moves the top n =
# min(most, count) pointers of the class's central stack to destination[0..n), bottom first.
central_take:
        push %rbx
        movq %rsi, %rax
        imulq $CENTRAL_STRIDE, %rax
        leaq central(%rip), %rbx
        addq %rax, %rbx
        movq %rdx, %r9
        movq %rdi, %r10
        call central_lock
        movq 8(%rbx), %rcx
        movq %r9, %rax
        cmpq %rcx, %rax
        cmova %rcx, %rax
        subq %rax, %rcx
        movq %rcx, 8(%rbx)
        xorl %edx, %edx
1:      cmpq %rax, %rdx
        jae 2f
        leaq (%rcx,%rdx), %r11
        movq CENTRAL_SLOTS(%rbx,%r11,8), %r8
        movq %r8, (%r10,%rdx,8)
        incq %rdx
        jmp 1b
2:      movq $0, (%rbx)                         # unlock (a release store on x86)
        pop %rbx
        ret

# central_give(%rsi = class, %rdi = source, %rdx = n): pushes source[0..n) on the class's
# central stack, in order.
central_give:
        push %rbx
        movq %rsi, %rax
        imulq $CENTRAL_STRIDE, %rax
        leaq central(%rip), %rbx
        addq %rax, %rbx
        movq %rdx, %r9
        movq %rdi, %r10
        call central_lock
        movq 8(%rbx), %rcx
        xorl %edx, %edx
1:      cmpq %r9, %rdx
        jae 2f
        movq (%r10,%rdx,8), %r8
        leaq (%rcx,%rdx), %r11
        movq %r8, CENTRAL_SLOTS(%rbx,%r11,8)
        incq %rdx
        jmp 1b
2:      addq %r9, %rcx
        movq %rcx, 8(%rbx)
        movq $0, (%rbx)
        pop %rbx
        ret

# central_lock(%rbx = lock word): test-and-test-and-set with `lock cmpxchg`, pause while held,
# sched_yield after SPIN_LIMIT polls (the holder may be preempted). Clobbers %rax %rcx %rdx %r11.
central_lock:
1:      xorl %eax, %eax
        movl $1, %edx
        lock cmpxchgq %rdx, (%rbx)
        je 3f
        movl $SPIN_LIMIT, %ecx
2:      pause
        cmpq $0, (%rbx)
        je 1b
        decl %ecx
        jnz 2b
        movl $24, %eax                          # sched_yield
        syscall
        jmp 1b
3:      ret
