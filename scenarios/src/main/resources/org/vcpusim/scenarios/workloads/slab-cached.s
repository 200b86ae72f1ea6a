# The cached-slab variant's slow paths and drain: TCMalloc era 3 (percpu_tcmalloc.h@HEAD,
# TcmallocSlab::CacheCpuSlabSlow, StopCpu/FenceCpu/Drain; userspace.md §1.5, §1.7, §1.9).
# Own rseq registration (glibc.pthread.rseq=0): struct rseq at %fs:ABI_TP, and the 8-byte TLS
# word tcmalloc_slabs at %fs:SLABS_TP = %fs:ABI_TP - 4, whose top 4 bytes are cpu_id_start:
# bit 63 set = "the cached region address in the other bits is valid". The kernel's rewrite of
# cpu_id_start (legacy id updates: every preemption, migration, signal, membarrier IPI) clears it.

# slab_cache_refresh -> %rax = this CPU's region address, now cached, or 0 when the id is stopped
# (the cache is then left invalid). Sets the valid bit alone, reads cpu_id, computes the region,
# stores region|bit in a critical section that fails if the bit was cleared meanwhile (the
# kernel rewrote cpu_id_start: we may have moved), then re-checks stopped[id] (era 3 protocol:
# a drain sets stopped before its fence, so either we see it or the fence invalidates us).
slab_cache_refresh:
        movabsq $0x8000000000000000, %rax
        movq %rax, %fs:SLABS_TP
        movl %fs:ABI_CPU_ID_TP, %ecx
        movq %rcx, %rdx
        shlq $SHIFT, %rdx
        addq slabs(%rip), %rdx
        btsq $63, %rdx
        leaq slab_cache_store_cs(%rip), %r9
        movq %r9, %fs:ABI_CS_TP
slab_cache_store_start:
        movq %fs:SLABS_TP, %rax
        btq $63, %rax
        jnc slab_cache_refresh
slab_cache_store_commit:
        movq %rdx, %fs:SLABS_TP
slab_cache_store_post:
        leaq stopped(%rip), %rax
        cmpb $0, (%rax,%rcx)
        jne 1f
        movq %rdx, %rax
        btrq $63, %rax
        ret
1:      movq $0, %fs:SLABS_TP
        xorl %eax, %eax
        ret
@CS:slab_cache_store:slab_cache_refresh@

# slab_pop_uncached(%rsi = class): cache and retry the fast path, or, when the id is stopped,
# take one object straight from the central list.
slab_pop_uncached:
        push %rsi
        call slab_cache_refresh
        pop %rsi
        testq %rax, %rax
        jnz slab_pop
        sub $8, %rsp
        movq %rsp, %rdi
        movl $1, %edx
        call central_take
        testq %rax, %rax
        jz 1f
        movq (%rsp), %rax
1:      add $8, %rsp
        ret

# slab_push_uncached(%rdi = object, %rsi = class): cache and retry, or give the object to the
# central list when the id is stopped.
slab_push_uncached:
        push %rdi
        push %rsi
        call slab_cache_refresh
        pop %rsi
        pop %rdi
        testq %rax, %rax
        jnz slab_push
        push %rdi
        movq %rsp, %rdi
        movl $1, %edx
        call central_give
        add $8, %rsp
        ret

# slab_drain(%rdi = id) -> %rax = objects moved, or -1 when a drain of that id is running:
# StopCpu (stopped[id] = 1), FenceCpu (membarrier RSEQ; under legacy id updates the kernel
# rewrites cpu_id_start of every thread it interrupts and of every thread it switches in, so no
# thread keeps a valid cache of a stopped region), our own cache dropped (FenceAllCpus does),
# DrainCpu (every class's [begin, current) to the central list, header back to begin), StartCpu.
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
        leaq stopped(%rip), %rax
        movb $1, (%rax,%r12)
        movl $324, %eax                         # membarrier(PRIVATE_EXPEDITED_RSEQ, FENCE_FLAGS, id)
        movl $0x80, %edi
        movl $FENCE_FLAGS, %esi
        movq %r12, %rdx
        syscall
        movq $0, %fs:SLABS_TP
        movq %r12, %rbx
        shlq $SHIFT, %rbx
        addq slabs(%rip), %rbx
        xorl %ebp, %ebp
        xorl %r14d, %r14d
1:      cmpq $NCLASSES, %rbp
        jae 2f
        leaq class_begin(%rip), %rax
        movzwl (%rax,%rbp,2), %ecx
        movzwl (%rbx,%rbp,4), %edx
        subq %rcx, %rdx
        addq %rdx, %r14
        leaq (%rbx,%rcx,8), %rdi
        movq %rbp, %rsi
        call central_give
        leaq class_begin(%rip), %rax
        movzwl (%rax,%rbp,2), %ecx
        movw %cx, (%rbx,%rbp,4)                 # header.current = begin: the class is empty
        incq %rbp
        jmp 1b
2:      leaq stopped(%rip), %rax
        movb $0, (%rax,%r12)                    # StartCpu
        movq $0, (%r13)
        movq %r14, %rax
        jmp 91f
90:     movq $-1, %rax
91:     pop %r14
        pop %r13
        pop %r12
        pop %rbp
        pop %rbx
        ret
