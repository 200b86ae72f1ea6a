# slab_drain(%rdi = id) -> %rax = objects moved, or -1 when a drain of that id is already running.
# TCMalloc era 2's remote drain (percpu_tcmalloc.h@aeafe60d, TcmallocSlab::Drain: lock every
# header with a compare-and-swap so that Pop sees empty and Push sees full, fence, drain, restart),
# for the 4-byte header: the lock value LOCKED is {current = LOCK_SLOT + 1, end = 0}, where slot
# LOCK_SLOT (right after the headers) holds a begin marker of its own. Pop then reads that marker
# inside the region and sees "empty"; Push compares current >= 0 and sees "full". No class ever
# commits LOCK_SLOT + 1 (class 0 begins at LOCK_SLOT + 2), so a header that is not LOCKED was
# written by a commit already in flight (it stores only header.current): after the fence
# (membarrier RSEQ: every such critical section has committed or will abort) such a header holds
# the true current and is locked again; repeat until a fence finds every header still locked.
# These are plain stores into a region its owner may be using: the region checker is told this
# code is remote-stop code (PerIdRegions.stopCodeStart), object conservation judges it. Then the
# objects in [begin, current) of each class go to the central list and the header is reset to
# the empty class {begin, begin + capacity}.
slab_drain:
        push %rbx
        push %rbp
        push %r12
        push %r13
        push %r14
        movq %rdi, %r12
        leaq drain_lock(%rip), %r13
        leaq (%r13,%r12,8), %r13
        xorl %eax, %eax
        movl $1, %edx
        lock cmpxchgq %rdx, (%r13)
        jne 90f
        movq %r12, %rbx
        shlq $SHIFT, %rbx
        addq slabs(%rip), %rbx
        xorl %ebp, %ebp
1:      cmpq $NCLASSES, %rbp
        jae 3f
2:      movl (%rbx,%rbp,4), %eax
        movl $LOCKED, %edx
        lock cmpxchgl %edx, (%rbx,%rbp,4)
        jne 2b
        movzwl %ax, %eax
        movq %rax, TB_SAVED(%r15,%rbp,8)
        incq %rbp
        jmp 1b
3:      movl $324, %eax                         # membarrier(PRIVATE_EXPEDITED_RSEQ, FENCE_FLAGS, id)
        movl $0x80, %edi
        movl $FENCE_FLAGS, %esi
        movq %r12, %rdx
        syscall
        xorl %r14d, %r14d
        xorl %ebp, %ebp
4:      cmpq $NCLASSES, %rbp
        jae 6f
5:      movl (%rbx,%rbp,4), %eax
        cmpl $LOCKED, %eax
        je 55f
        movl $LOCKED, %edx
        lock cmpxchgl %edx, (%rbx,%rbp,4)
        jne 5b
        movzwl %ax, %eax
        movq %rax, TB_SAVED(%r15,%rbp,8)
        movl $1, %r14d
55:     incq %rbp
        jmp 4b
6:      testq %r14, %r14
        jnz 3b
        xorl %ebp, %ebp
7:      cmpq $NCLASSES, %rbp
        jae 8f
        leaq class_begin(%rip), %rax
        movzwl (%rax,%rbp,2), %ecx
        movq TB_SAVED(%r15,%rbp,8), %rdx
        subq %rcx, %rdx
        addq %rdx, %r14
        leaq (%rbx,%rcx,8), %rdi
        movq %rbp, %rsi
        call central_give
        leaq class_empty_header(%rip), %rax
        movl (%rax,%rbp,4), %eax
        movl %eax, (%rbx,%rbp,4)                # restart the class: {begin, begin + capacity}
        incq %rbp
        jmp 7b
8:      movq $0, (%r13)
        movq %r14, %rax
        jmp 91f
90:     movq $-1, %rax
91:     pop %r14
        pop %r13
        pop %r12
        pop %rbp
        pop %rbx
        ret
