# slab_rot_pop_push: eight TCMalloc Era-3 Pop+Push pairs per call, one per size class 1..8 in
# turn, ABI variant (a) (cpu_id through glibc's __rseq_offset; userspace.md section 6 column (a),
# Push per section 1.5). Each pair is slab_pop_push.s's pair for its own class: Pop the top object
# of class k, Push it back to class k. Consecutive pairs touch different headers, so the
# store->load-forwarding chain through one class's header (2 x (7 + 1) = 16 cycles per visit,
# which bounds slab_pop_push) links a pair only to the same class's pair of the next call, eight
# pairs later; with eight pairs of work per call that chain is off the critical path and the
# pairs are independent: the "pair with rotating classes" case of userspace.md section 5.4
# (measured there with 7 classes and no rseq registration).
# Slab layout (userspace.md section 1.3, shift 14, 4-byte headers {u16 current, u16 end}): class
# k in 1..8 has its begin marker (low bit set) in slot m = 5 + 9(k-1) (the 9 headers of classes
# 0..8 fill bytes 0..35), four objects in slots m+1..m+4, current = m+5, end = m+9 (four free
# slots): class 1 slots 5..13, ..., class 8 68..76. Every pair pops slot m+4 and pushes it back,
# so no class ever under- or overflows. Abort handlers behind librseq's ud1 signature (RSEQ_SIG
# 0x53053053) count in sr_aborts and retry their section; underflow/overflow (never expected)
# count in sr_slowpaths and return.
# Clobbers rax, rcx, rdx, rsi, rdi, r8-r11 and flags (all caller-saved in the System V ABI).

        .text
        .globl  slab_rot_pop_push
        .type   slab_rot_pop_push, @function
slab_rot_pop_push:
        # ---- class 1: Pop
        movl    $1, %esi                        # size class
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_pop1_retry:
        leaq    __rseq_cs_sr_pop1(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsr_pop1_start:
        movl    %fs:4(%r8), %r10d               # cpu_id
        shlq    $14, %r10
        addq    %r11, %r10                      # this CPU's region
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        movq    -8(%r10,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lsr_slow
        movq    -16(%r10,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current - 1
.Lsr_pop1_commit:
        prefetcht0 (%rcx)
        # ---- class 1: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_push1_retry:
        leaq    __rseq_cs_sr_push1(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsr_push1_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsr_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsr_push1_commit:
        # ---- class 2: Pop
        movl    $2, %esi                        # size class
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_pop2_retry:
        leaq    __rseq_cs_sr_pop2(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsr_pop2_start:
        movl    %fs:4(%r8), %r10d               # cpu_id
        shlq    $14, %r10
        addq    %r11, %r10                      # this CPU's region
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        movq    -8(%r10,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lsr_slow
        movq    -16(%r10,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current - 1
.Lsr_pop2_commit:
        prefetcht0 (%rcx)
        # ---- class 2: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_push2_retry:
        leaq    __rseq_cs_sr_push2(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsr_push2_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsr_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsr_push2_commit:
        # ---- class 3: Pop
        movl    $3, %esi                        # size class
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_pop3_retry:
        leaq    __rseq_cs_sr_pop3(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsr_pop3_start:
        movl    %fs:4(%r8), %r10d               # cpu_id
        shlq    $14, %r10
        addq    %r11, %r10                      # this CPU's region
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        movq    -8(%r10,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lsr_slow
        movq    -16(%r10,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current - 1
.Lsr_pop3_commit:
        prefetcht0 (%rcx)
        # ---- class 3: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_push3_retry:
        leaq    __rseq_cs_sr_push3(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsr_push3_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsr_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsr_push3_commit:
        # ---- class 4: Pop
        movl    $4, %esi                        # size class
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_pop4_retry:
        leaq    __rseq_cs_sr_pop4(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsr_pop4_start:
        movl    %fs:4(%r8), %r10d               # cpu_id
        shlq    $14, %r10
        addq    %r11, %r10                      # this CPU's region
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        movq    -8(%r10,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lsr_slow
        movq    -16(%r10,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current - 1
.Lsr_pop4_commit:
        prefetcht0 (%rcx)
        # ---- class 4: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_push4_retry:
        leaq    __rseq_cs_sr_push4(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsr_push4_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsr_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsr_push4_commit:
        # ---- class 5: Pop
        movl    $5, %esi                        # size class
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_pop5_retry:
        leaq    __rseq_cs_sr_pop5(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsr_pop5_start:
        movl    %fs:4(%r8), %r10d               # cpu_id
        shlq    $14, %r10
        addq    %r11, %r10                      # this CPU's region
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        movq    -8(%r10,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lsr_slow
        movq    -16(%r10,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current - 1
.Lsr_pop5_commit:
        prefetcht0 (%rcx)
        # ---- class 5: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_push5_retry:
        leaq    __rseq_cs_sr_push5(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsr_push5_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsr_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsr_push5_commit:
        # ---- class 6: Pop
        movl    $6, %esi                        # size class
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_pop6_retry:
        leaq    __rseq_cs_sr_pop6(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsr_pop6_start:
        movl    %fs:4(%r8), %r10d               # cpu_id
        shlq    $14, %r10
        addq    %r11, %r10                      # this CPU's region
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        movq    -8(%r10,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lsr_slow
        movq    -16(%r10,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current - 1
.Lsr_pop6_commit:
        prefetcht0 (%rcx)
        # ---- class 6: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_push6_retry:
        leaq    __rseq_cs_sr_push6(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsr_push6_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsr_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsr_push6_commit:
        # ---- class 7: Pop
        movl    $7, %esi                        # size class
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_pop7_retry:
        leaq    __rseq_cs_sr_pop7(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsr_pop7_start:
        movl    %fs:4(%r8), %r10d               # cpu_id
        shlq    $14, %r10
        addq    %r11, %r10                      # this CPU's region
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        movq    -8(%r10,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lsr_slow
        movq    -16(%r10,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current - 1
.Lsr_pop7_commit:
        prefetcht0 (%rcx)
        # ---- class 7: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_push7_retry:
        leaq    __rseq_cs_sr_push7(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsr_push7_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsr_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsr_push7_commit:
        # ---- class 8: Pop
        movl    $8, %esi                        # size class
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_pop8_retry:
        leaq    __rseq_cs_sr_pop8(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsr_pop8_start:
        movl    %fs:4(%r8), %r10d               # cpu_id
        shlq    $14, %r10
        addq    %r11, %r10                      # this CPU's region
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        movq    -8(%r10,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lsr_slow
        movq    -16(%r10,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current - 1
.Lsr_pop8_commit:
        prefetcht0 (%rcx)
        # ---- class 8: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_push8_retry:
        leaq    __rseq_cs_sr_push8(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsr_push8_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsr_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsr_push8_commit:
        ret
.Lsr_slow:
        addq    $1, sr_slowpaths(%rip)
        ret
        .size   slab_rot_pop_push, . - slab_rot_pop_push

        .pushsection __rseq_failure, "ax"
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_pop1_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_pop1_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_push1_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_push1_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_pop2_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_pop2_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_push2_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_push2_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_pop3_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_pop3_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_push3_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_push3_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_pop4_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_pop4_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_push4_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_push4_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_pop5_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_pop5_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_push5_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_push5_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_pop6_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_pop6_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_push6_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_push6_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_pop7_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_pop7_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_push7_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_push7_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_pop8_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_pop8_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_push8_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_push8_retry
        .popsection

        .pushsection __rseq_cs, "aw"
        .balign 32
__rseq_cs_sr_pop1:
        .long   0, 0                            # version, flags
        .quad   .Lsr_pop1_start, .Lsr_pop1_commit - .Lsr_pop1_start, .Lsr_pop1_abort
        .balign 32
__rseq_cs_sr_push1:
        .long   0, 0                            # version, flags
        .quad   .Lsr_push1_start, .Lsr_push1_commit - .Lsr_push1_start, .Lsr_push1_abort
        .balign 32
__rseq_cs_sr_pop2:
        .long   0, 0                            # version, flags
        .quad   .Lsr_pop2_start, .Lsr_pop2_commit - .Lsr_pop2_start, .Lsr_pop2_abort
        .balign 32
__rseq_cs_sr_push2:
        .long   0, 0                            # version, flags
        .quad   .Lsr_push2_start, .Lsr_push2_commit - .Lsr_push2_start, .Lsr_push2_abort
        .balign 32
__rseq_cs_sr_pop3:
        .long   0, 0                            # version, flags
        .quad   .Lsr_pop3_start, .Lsr_pop3_commit - .Lsr_pop3_start, .Lsr_pop3_abort
        .balign 32
__rseq_cs_sr_push3:
        .long   0, 0                            # version, flags
        .quad   .Lsr_push3_start, .Lsr_push3_commit - .Lsr_push3_start, .Lsr_push3_abort
        .balign 32
__rseq_cs_sr_pop4:
        .long   0, 0                            # version, flags
        .quad   .Lsr_pop4_start, .Lsr_pop4_commit - .Lsr_pop4_start, .Lsr_pop4_abort
        .balign 32
__rseq_cs_sr_push4:
        .long   0, 0                            # version, flags
        .quad   .Lsr_push4_start, .Lsr_push4_commit - .Lsr_push4_start, .Lsr_push4_abort
        .balign 32
__rseq_cs_sr_pop5:
        .long   0, 0                            # version, flags
        .quad   .Lsr_pop5_start, .Lsr_pop5_commit - .Lsr_pop5_start, .Lsr_pop5_abort
        .balign 32
__rseq_cs_sr_push5:
        .long   0, 0                            # version, flags
        .quad   .Lsr_push5_start, .Lsr_push5_commit - .Lsr_push5_start, .Lsr_push5_abort
        .balign 32
__rseq_cs_sr_pop6:
        .long   0, 0                            # version, flags
        .quad   .Lsr_pop6_start, .Lsr_pop6_commit - .Lsr_pop6_start, .Lsr_pop6_abort
        .balign 32
__rseq_cs_sr_push6:
        .long   0, 0                            # version, flags
        .quad   .Lsr_push6_start, .Lsr_push6_commit - .Lsr_push6_start, .Lsr_push6_abort
        .balign 32
__rseq_cs_sr_pop7:
        .long   0, 0                            # version, flags
        .quad   .Lsr_pop7_start, .Lsr_pop7_commit - .Lsr_pop7_start, .Lsr_pop7_abort
        .balign 32
__rseq_cs_sr_push7:
        .long   0, 0                            # version, flags
        .quad   .Lsr_push7_start, .Lsr_push7_commit - .Lsr_push7_start, .Lsr_push7_abort
        .balign 32
__rseq_cs_sr_pop8:
        .long   0, 0                            # version, flags
        .quad   .Lsr_pop8_start, .Lsr_pop8_commit - .Lsr_pop8_start, .Lsr_pop8_abort
        .balign 32
__rseq_cs_sr_push8:
        .long   0, 0                            # version, flags
        .quad   .Lsr_push8_start, .Lsr_push8_commit - .Lsr_push8_start, .Lsr_push8_abort
        .popsection

        .data
        .balign 4096
        .globl  sr_slab_region
sr_slab_region:                                 # region of CPU 0
        .short  0, 0                            # class 0 header: unused
        .short  10, 14                          # class 1 header: current 10, end 14
        .short  19, 23                          # class 2 header: current 19, end 23
        .short  28, 32                          # class 3 header: current 28, end 32
        .short  37, 41                          # class 4 header: current 37, end 41
        .short  46, 50                          # class 5 header: current 46, end 50
        .short  55, 59                          # class 6 header: current 55, end 59
        .short  64, 68                          # class 7 header: current 64, end 68
        .short  73, 77                          # class 8 header: current 73, end 77
        .zero   4                               # to slot 5
        .quad   1                               # slot 5: class 1 begin marker
        .quad   sr_objects + 0, sr_objects + 64, sr_objects + 128, sr_objects + 192
        .quad   0, 0, 0, 0                      # class 1 free slots
        .quad   1                               # slot 14: class 2 begin marker
        .quad   sr_objects + 256, sr_objects + 320, sr_objects + 384, sr_objects + 448
        .quad   0, 0, 0, 0                      # class 2 free slots
        .quad   1                               # slot 23: class 3 begin marker
        .quad   sr_objects + 512, sr_objects + 576, sr_objects + 640, sr_objects + 704
        .quad   0, 0, 0, 0                      # class 3 free slots
        .quad   1                               # slot 32: class 4 begin marker
        .quad   sr_objects + 768, sr_objects + 832, sr_objects + 896, sr_objects + 960
        .quad   0, 0, 0, 0                      # class 4 free slots
        .quad   1                               # slot 41: class 5 begin marker
        .quad   sr_objects + 1024, sr_objects + 1088, sr_objects + 1152, sr_objects + 1216
        .quad   0, 0, 0, 0                      # class 5 free slots
        .quad   1                               # slot 50: class 6 begin marker
        .quad   sr_objects + 1280, sr_objects + 1344, sr_objects + 1408, sr_objects + 1472
        .quad   0, 0, 0, 0                      # class 6 free slots
        .quad   1                               # slot 59: class 7 begin marker
        .quad   sr_objects + 1536, sr_objects + 1600, sr_objects + 1664, sr_objects + 1728
        .quad   0, 0, 0, 0                      # class 7 free slots
        .quad   1                               # slot 68: class 8 begin marker
        .quad   sr_objects + 1792, sr_objects + 1856, sr_objects + 1920, sr_objects + 1984
        .quad   0, 0, 0, 0                      # class 8 free slots
        .zero   15768                           # rest of region 0 (16384 - 616)
        .zero   245760                          # regions of CPUs 1..15 (15 x 16384)
        # Globals at page offset 0x800, away from the header stores (as slab_pop_push.s).
        .zero   2048
        .globl  sr_slabs
sr_slabs:
        .quad   sr_slab_region                  # TCMalloc slabs_ (shift fixed at 14)
        .globl  sr_aborts
sr_aborts:
        .quad   0
        .globl  sr_slowpaths
sr_slowpaths:
        .quad   0

        .bss
        .balign 64
        .globl  sr_objects
sr_objects:
        .zero   2048                            # four 64-byte objects per class
