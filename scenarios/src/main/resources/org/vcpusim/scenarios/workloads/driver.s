# The thread driver: one simulated thread runs worker(%rdi = its block). It registers for the
# RSEQ membarrier, installs a SIGUSR1 handler, registers its own rseq area when OWN_RSEQ (the
# cached-slab variant) and enables GS mode when GS_PRCTL, then loops: stop when stop_word is set
# or TB_TARGET ops are done (0 = no limit); serve the mailbox; choose the op with a xorshift64
# (Marsaglia 2003: x ^= x << 13, x >> 7, x << 17) seeded per thread; run it between the labels
# op_begin_* (the call) and op_end_* (the instruction after it); count it; think.
# Block fields (TB_*) are documented in WorkloadImage. %r15 = block, %r12 = ops done,
# %r13 = random word of this op.
wl_main:
        movl $60, %eax                          # the first thread only hosts the process: exit()
        xorl %edi, %edi
        syscall

worker:
        push %rbx
        push %rbp
        push %r12
        push %r13
        push %r14
        push %r15
        movq %rdi, %r15
        movl $13, %eax                          # rt_sigaction(SIGUSR1, &sig_act, NULL, 8)
        movl $10, %edi
        leaq sig_act(%rip), %rsi
        xorl %edx, %edx
        movl $8, %r10d
        syscall
        movl $324, %eax                         # membarrier(REGISTER_PRIVATE_EXPEDITED_RSEQ)
        movl $0x100, %edi
        xorl %esi, %esi
        xorl %edx, %edx
        syscall
        movl $OWN_RSEQ, %eax
        testl %eax, %eax
        jz 1f
        movq %fs:0, %rdi                        # rseq(tp + ABI_TP, 32, 0, RSEQ_SIG)
        addq $ABI_TP, %rdi
        movl $334, %eax
        movl $32, %esi
        xorl %edx, %edx
        movl $0x53053053, %r10d
        syscall
        movq %rax, TB_SETUP(%r15)
        testq %rax, %rax
        jnz worker_failed
1:      movl $GS_PRCTL, %eax
        testl %eax, %eax
        jz 2f
        movl $157, %eax                         # prctl(PT_SET_GS_MODE, &gs_mode_args, 24, 0, 0)
        movl $0x47530001, %edi
        leaq gs_mode_args(%rip), %rsi
        movl $24, %edx
        xorl %r10d, %r10d
        xorl %r8d, %r8d
        syscall
        movq %rax, TB_SETUP(%r15)
        testq %rax, %rax
        jnz worker_failed
2:      movq $1, TB_STATUS(%r15)              # running: set up, SIGUSR1 handled
        xorl %r12d, %r12d

drv_loop:
        cmpq $0, stop_word(%rip)
        jne drv_done
        movq TB_TARGET(%r15), %rax
        testq %rax, %rax
        jz 1f
        cmpq %rax, %r12
        jae drv_done
1:      cmpq $0, TB_MAIL(%r15)
        jne drv_mail
drv_op:
        movq TB_RNG(%r15), %rax
        movq %rax, %rcx
        shlq $13, %rcx
        xorq %rcx, %rax
        movq %rax, %rcx
        shrq $7, %rcx
        xorq %rcx, %rax
        movq %rax, %rcx
        shlq $17, %rcx
        xorq %rcx, %rax
        movq %rax, TB_RNG(%r15)
        movq %rax, %r13
        movl $KIND, %eax
        cmpl $1, %eax
        je drv_slab
        cmpl $2, %eax
        je drv_counter
        cmpl $3, %eax
        je drv_list
        jmp drv_spin

# ---- slab: alloc (Pop) or free (Push) by weight; alloc when nothing is held, free when full
drv_slab:
        movq %r13, %rax
        shrq $32, %rax
        movabsq $OP_A_THRESHOLD, %rcx
        cmpq %rcx, %rax
        jae drv_free
drv_alloc:
        cmpq $MAXHELD, TB_HELD_N(%r15)
        jae drv_free_do
drv_alloc_do:
        movq %r13, %rsi
        shrq $8, %rsi
        andl $0xffffff, %esi
        imulq $NCLASSES, %rsi
        shrq $24, %rsi
        movq %rsi, %rbx
op_begin_alloc:
        call slab_pop
op_end_alloc:
        testq %rax, %rax
        jz drv_failed
        movq %r15, (%rax)                       # the caller writes its object
        movq %rbx, %rsi
        jmp drv_hold
drv_free:
        cmpq $0, TB_HELD_N(%r15)
        je drv_alloc_do
drv_free_do:
        call drv_take_held
op_begin_free:
        call slab_push
op_end_free:
        jmp drv_next

# ---- counter
drv_counter:
op_begin_inc:
        call counter_inc
op_end_inc:
        jmp drv_next

# ---- list: pop (A) or push (B) by weight
drv_list:
        movq %r13, %rax
        shrq $32, %rax
        movabsq $OP_A_THRESHOLD, %rcx
        cmpq %rcx, %rax
        jae drv_lpush
drv_lpop:
        cmpq $MAXHELD, TB_HELD_N(%r15)
        jae drv_lpush_do
drv_lpop_do:
op_begin_lpop:
        call list_pop
op_end_lpop:
        testq %rax, %rax
        jz drv_failed
        xorl %esi, %esi
        jmp drv_hold
drv_lpush:
        cmpq $0, TB_HELD_N(%r15)
        je drv_lpop_do
drv_lpush_do:
        call drv_take_held
op_begin_lpush:
        call list_push
op_end_lpush:
        jmp drv_next

# ---- spinlock
drv_spin:
op_begin_spin:
        call spin_op
op_end_spin:
        jmp drv_next

drv_failed:
        incq TB_FAIL(%r15)
        jmp drv_next
# record (%rax = object, %rsi = class) as held
drv_hold:
        movq TB_HELD_N(%r15), %rcx
        shlq $4, %rcx
        leaq TB_HELD(%r15,%rcx), %rdx
        movq %rax, (%rdx)
        movq %rsi, 8(%rdx)
        incq TB_HELD_N(%r15)
drv_next:
        incq %r12
        movq %r12, TB_OPS(%r15)
        movq %r13, %rax                         # think: spin or sleep, from the tables
        andl $THINK_MASK, %eax
        leaq think_spin(%rip), %rcx
        movq (%rcx,%rax,8), %rcx
        testq %rcx, %rcx
        jz 2f
1:      decq %rcx
        jnz 1b
2:      leaq think_sleep(%rip), %rdx
        movq (%rdx,%rax,8), %rax
        testq %rax, %rax
        jz drv_loop
        call drv_nanosleep
        jmp drv_loop

# drv_take_held -> %rdi = object, %rsi = class: a random held entry (a second xorshift step),
# replaced by the last one.
drv_take_held:
        movq %r13, %rax
        movq %rax, %rcx
        shlq $13, %rcx
        xorq %rcx, %rax
        movq %rax, %rcx
        shrq $7, %rcx
        xorq %rcx, %rax
        movq %rax, %rcx
        shlq $17, %rcx
        xorq %rcx, %rax
        shrq $32, %rax
        movq TB_HELD_N(%r15), %rcx
        imulq %rcx, %rax
        shrq $32, %rax
        shlq $4, %rax
        leaq TB_HELD(%r15,%rax), %rdx
        movq (%rdx), %rdi
        movq 8(%rdx), %rsi
        decq %rcx
        movq %rcx, TB_HELD_N(%r15)
        shlq $4, %rcx
        leaq TB_HELD(%r15,%rcx), %rax
        movq (%rax), %r8
        movq %r8, (%rdx)
        movq 8(%rax), %r8
        movq %r8, 8(%rdx)
        ret

# drv_nanosleep(%rax = nanoseconds)
drv_nanosleep:
        xorl %edx, %edx
        movl $1000000000, %ecx
        divq %rcx
        movq %rax, TB_TS(%r15)
        movq %rdx, TB_TS+8(%r15)
        movl $35, %eax
        leaq TB_TS(%r15), %rdi
        xorl %esi, %esi
        syscall
        ret

# ---- mailbox: 1 sleep(arg ns), 2 yield, 3 drain(arg id), 4 GS clobber
drv_mail:
        movq TB_MAIL(%r15), %rax
        movq TB_MAILARG(%r15), %rdi
        movq $0, TB_MAIL(%r15)
        cmpq $1, %rax
        je 1f
        cmpq $2, %rax
        je 2f
        cmpq $3, %rax
        je 3f
        cmpq $4, %rax
        je 4f
        jmp drv_op
1:      movq %rdi, %rax
        call drv_nanosleep
        incq TB_SLEEPS(%r15)
        jmp drv_op
2:      movl $24, %eax
        syscall
        incq TB_YIELDS(%r15)
        jmp drv_op
3:      movl $KIND, %eax
        cmpl $1, %eax
        jne 31f
        call slab_drain
        cmpq $0, %rax
        jl 31f
        incq TB_DRAINS(%r15)
        addq %rax, TB_DRAINED(%r15)
        jmp drv_op
31:     incq TB_DRAINS_SKIPPED(%r15)
        jmp drv_op
4:      movl $158, %eax                         # arch_prctl(ARCH_SET_GS, lib_gs_buffer)
        movl $0x1001, %edi
        leaq lib_gs_buffer(%rip), %rsi
        syscall
        testq %rax, %rax
        jnz 41f
        movq %r12, %gs:0                        # the library uses its own %gs data
        incq TB_CLOBBERS(%r15)
        jmp drv_op
41:     incq TB_CLOBBERS_FAILED(%r15)
        jmp drv_op

drv_done:
        movq $2, TB_STATUS(%r15)
        xorl %eax, %eax
        jmp 9f
worker_failed:
        movq $3, TB_STATUS(%r15)
        movq $-1, %rax
9:      pop %r15
        pop %r14
        pop %r13
        pop %r12
        pop %rbp
        pop %rbx
        ret

sig_handler:
        lock incq signals_handled(%rip)
        movl $SIGNAL_WORK, %ecx
1:      decl %ecx
        jnz 1b
        ret
sig_restorer:
        movl $15, %eax
        syscall
