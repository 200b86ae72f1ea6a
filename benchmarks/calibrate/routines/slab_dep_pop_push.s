# slab_dep_pop_push: slab_rot_pop_push.s (ABI (a), classes 1..8 in turn) with every input of a
# pair made dependent on the object the previous pair popped: dep = object >> 48 (0 for any user
# address) is added to the address of the __rseq_offset load and to the size class. So each
# Pop starts only when the previous Pop's object is known and the calls measure the latency of
# the Pop chain from a dependent start (userspace.md section 5.4 "dependent pop latency": row 1
# -> 5 -> 6 -> 7 -> 8 -> 9 of section 6, 4 loads deep) plus `mov`+`shr` (2 cycles) per pair. The
# chain runs on across calls through %rdi (sanitised by the same shift at entry; the call loops
# of the native harness and of `vcpusim asm` leave %rdi alone). Push is off the chain.
# Slab layout (userspace.md section 1.3, shift 14, 4-byte headers {u16 current, u16 end}): class
# k in 1..8 has its begin marker (low bit set) in slot m = 5 + 9(k-1) (the 9 headers of classes
# 0..8 fill bytes 0..35), four objects in slots m+1..m+4, current = m+5, end = m+9 (four free
# slots): class 1 slots 5..13, ..., class 8 68..76. Every pair pops slot m+4 and pushes it back,
# so no class ever under- or overflows. Abort handlers behind librseq's ud1 signature (RSEQ_SIG
# 0x53053053) count in sd_aborts and retry their section; underflow/overflow (never expected)
# count in sd_slowpaths and return.
# Clobbers rax, rcx, rdx, rsi, rdi, r8-r11 and flags (all caller-saved in the System V ABI).

        .text
        .globl  slab_dep_pop_push
        .type   slab_dep_pop_push, @function
slab_dep_pop_push:
        shrq    $48, %rdi                       # dep = 0, carried from the previous call
        # ---- class 1: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        movq    sd_slabs(%rip), %r11
        leal    1(%rdi), %esi                    # size class 1, dependent
.Lsd_pop1_retry:
        leaq    __rseq_cs_sd_pop1(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsd_pop1_start:
        movl    %fs:4(%r8), %r10d               # cpu_id
        shlq    $14, %r10
        addq    %r11, %r10                      # this CPU's region
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        movq    -8(%r10,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lsd_slow
        movq    -16(%r10,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current - 1
.Lsd_pop1_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class 1: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sd_slabs(%rip), %r11
.Lsd_push1_retry:
        leaq    __rseq_cs_sd_push1(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsd_push1_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsd_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsd_push1_commit:
        # ---- class 2: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        movq    sd_slabs(%rip), %r11
        leal    2(%rdi), %esi                    # size class 2, dependent
.Lsd_pop2_retry:
        leaq    __rseq_cs_sd_pop2(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsd_pop2_start:
        movl    %fs:4(%r8), %r10d               # cpu_id
        shlq    $14, %r10
        addq    %r11, %r10                      # this CPU's region
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        movq    -8(%r10,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lsd_slow
        movq    -16(%r10,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current - 1
.Lsd_pop2_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class 2: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sd_slabs(%rip), %r11
.Lsd_push2_retry:
        leaq    __rseq_cs_sd_push2(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsd_push2_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsd_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsd_push2_commit:
        # ---- class 3: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        movq    sd_slabs(%rip), %r11
        leal    3(%rdi), %esi                    # size class 3, dependent
.Lsd_pop3_retry:
        leaq    __rseq_cs_sd_pop3(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsd_pop3_start:
        movl    %fs:4(%r8), %r10d               # cpu_id
        shlq    $14, %r10
        addq    %r11, %r10                      # this CPU's region
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        movq    -8(%r10,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lsd_slow
        movq    -16(%r10,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current - 1
.Lsd_pop3_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class 3: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sd_slabs(%rip), %r11
.Lsd_push3_retry:
        leaq    __rseq_cs_sd_push3(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsd_push3_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsd_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsd_push3_commit:
        # ---- class 4: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        movq    sd_slabs(%rip), %r11
        leal    4(%rdi), %esi                    # size class 4, dependent
.Lsd_pop4_retry:
        leaq    __rseq_cs_sd_pop4(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsd_pop4_start:
        movl    %fs:4(%r8), %r10d               # cpu_id
        shlq    $14, %r10
        addq    %r11, %r10                      # this CPU's region
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        movq    -8(%r10,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lsd_slow
        movq    -16(%r10,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current - 1
.Lsd_pop4_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class 4: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sd_slabs(%rip), %r11
.Lsd_push4_retry:
        leaq    __rseq_cs_sd_push4(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsd_push4_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsd_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsd_push4_commit:
        # ---- class 5: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        movq    sd_slabs(%rip), %r11
        leal    5(%rdi), %esi                    # size class 5, dependent
.Lsd_pop5_retry:
        leaq    __rseq_cs_sd_pop5(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsd_pop5_start:
        movl    %fs:4(%r8), %r10d               # cpu_id
        shlq    $14, %r10
        addq    %r11, %r10                      # this CPU's region
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        movq    -8(%r10,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lsd_slow
        movq    -16(%r10,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current - 1
.Lsd_pop5_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class 5: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sd_slabs(%rip), %r11
.Lsd_push5_retry:
        leaq    __rseq_cs_sd_push5(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsd_push5_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsd_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsd_push5_commit:
        # ---- class 6: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        movq    sd_slabs(%rip), %r11
        leal    6(%rdi), %esi                    # size class 6, dependent
.Lsd_pop6_retry:
        leaq    __rseq_cs_sd_pop6(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsd_pop6_start:
        movl    %fs:4(%r8), %r10d               # cpu_id
        shlq    $14, %r10
        addq    %r11, %r10                      # this CPU's region
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        movq    -8(%r10,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lsd_slow
        movq    -16(%r10,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current - 1
.Lsd_pop6_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class 6: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sd_slabs(%rip), %r11
.Lsd_push6_retry:
        leaq    __rseq_cs_sd_push6(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsd_push6_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsd_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsd_push6_commit:
        # ---- class 7: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        movq    sd_slabs(%rip), %r11
        leal    7(%rdi), %esi                    # size class 7, dependent
.Lsd_pop7_retry:
        leaq    __rseq_cs_sd_pop7(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsd_pop7_start:
        movl    %fs:4(%r8), %r10d               # cpu_id
        shlq    $14, %r10
        addq    %r11, %r10                      # this CPU's region
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        movq    -8(%r10,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lsd_slow
        movq    -16(%r10,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current - 1
.Lsd_pop7_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class 7: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sd_slabs(%rip), %r11
.Lsd_push7_retry:
        leaq    __rseq_cs_sd_push7(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsd_push7_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsd_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsd_push7_commit:
        # ---- class 8: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        movq    sd_slabs(%rip), %r11
        leal    8(%rdi), %esi                    # size class 8, dependent
.Lsd_pop8_retry:
        leaq    __rseq_cs_sd_pop8(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsd_pop8_start:
        movl    %fs:4(%r8), %r10d               # cpu_id
        shlq    $14, %r10
        addq    %r11, %r10                      # this CPU's region
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        movq    -8(%r10,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lsd_slow
        movq    -16(%r10,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current - 1
.Lsd_pop8_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class 8: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sd_slabs(%rip), %r11
.Lsd_push8_retry:
        leaq    __rseq_cs_sd_push8(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsd_push8_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsd_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsd_push8_commit:
        ret
.Lsd_slow:
        addq    $1, sd_slowpaths(%rip)
        ret
        .size   slab_dep_pop_push, . - slab_dep_pop_push

        .pushsection __rseq_failure, "ax"
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_pop1_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_pop1_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_push1_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_push1_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_pop2_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_pop2_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_push2_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_push2_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_pop3_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_pop3_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_push3_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_push3_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_pop4_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_pop4_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_push4_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_push4_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_pop5_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_pop5_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_push5_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_push5_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_pop6_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_pop6_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_push6_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_push6_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_pop7_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_pop7_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_push7_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_push7_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_pop8_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_pop8_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_push8_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_push8_retry
        .popsection

        .pushsection __rseq_cs, "aw"
        .balign 32
__rseq_cs_sd_pop1:
        .long   0, 0                            # version, flags
        .quad   .Lsd_pop1_start, .Lsd_pop1_commit - .Lsd_pop1_start, .Lsd_pop1_abort
        .balign 32
__rseq_cs_sd_push1:
        .long   0, 0                            # version, flags
        .quad   .Lsd_push1_start, .Lsd_push1_commit - .Lsd_push1_start, .Lsd_push1_abort
        .balign 32
__rseq_cs_sd_pop2:
        .long   0, 0                            # version, flags
        .quad   .Lsd_pop2_start, .Lsd_pop2_commit - .Lsd_pop2_start, .Lsd_pop2_abort
        .balign 32
__rseq_cs_sd_push2:
        .long   0, 0                            # version, flags
        .quad   .Lsd_push2_start, .Lsd_push2_commit - .Lsd_push2_start, .Lsd_push2_abort
        .balign 32
__rseq_cs_sd_pop3:
        .long   0, 0                            # version, flags
        .quad   .Lsd_pop3_start, .Lsd_pop3_commit - .Lsd_pop3_start, .Lsd_pop3_abort
        .balign 32
__rseq_cs_sd_push3:
        .long   0, 0                            # version, flags
        .quad   .Lsd_push3_start, .Lsd_push3_commit - .Lsd_push3_start, .Lsd_push3_abort
        .balign 32
__rseq_cs_sd_pop4:
        .long   0, 0                            # version, flags
        .quad   .Lsd_pop4_start, .Lsd_pop4_commit - .Lsd_pop4_start, .Lsd_pop4_abort
        .balign 32
__rseq_cs_sd_push4:
        .long   0, 0                            # version, flags
        .quad   .Lsd_push4_start, .Lsd_push4_commit - .Lsd_push4_start, .Lsd_push4_abort
        .balign 32
__rseq_cs_sd_pop5:
        .long   0, 0                            # version, flags
        .quad   .Lsd_pop5_start, .Lsd_pop5_commit - .Lsd_pop5_start, .Lsd_pop5_abort
        .balign 32
__rseq_cs_sd_push5:
        .long   0, 0                            # version, flags
        .quad   .Lsd_push5_start, .Lsd_push5_commit - .Lsd_push5_start, .Lsd_push5_abort
        .balign 32
__rseq_cs_sd_pop6:
        .long   0, 0                            # version, flags
        .quad   .Lsd_pop6_start, .Lsd_pop6_commit - .Lsd_pop6_start, .Lsd_pop6_abort
        .balign 32
__rseq_cs_sd_push6:
        .long   0, 0                            # version, flags
        .quad   .Lsd_push6_start, .Lsd_push6_commit - .Lsd_push6_start, .Lsd_push6_abort
        .balign 32
__rseq_cs_sd_pop7:
        .long   0, 0                            # version, flags
        .quad   .Lsd_pop7_start, .Lsd_pop7_commit - .Lsd_pop7_start, .Lsd_pop7_abort
        .balign 32
__rseq_cs_sd_push7:
        .long   0, 0                            # version, flags
        .quad   .Lsd_push7_start, .Lsd_push7_commit - .Lsd_push7_start, .Lsd_push7_abort
        .balign 32
__rseq_cs_sd_pop8:
        .long   0, 0                            # version, flags
        .quad   .Lsd_pop8_start, .Lsd_pop8_commit - .Lsd_pop8_start, .Lsd_pop8_abort
        .balign 32
__rseq_cs_sd_push8:
        .long   0, 0                            # version, flags
        .quad   .Lsd_push8_start, .Lsd_push8_commit - .Lsd_push8_start, .Lsd_push8_abort
        .popsection

        .data
        .balign 4096
        .globl  sd_slab_region
sd_slab_region:                                 # region of CPU 0
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
        .quad   sd_objects + 0, sd_objects + 64, sd_objects + 128, sd_objects + 192
        .quad   0, 0, 0, 0                      # class 1 free slots
        .quad   1                               # slot 14: class 2 begin marker
        .quad   sd_objects + 256, sd_objects + 320, sd_objects + 384, sd_objects + 448
        .quad   0, 0, 0, 0                      # class 2 free slots
        .quad   1                               # slot 23: class 3 begin marker
        .quad   sd_objects + 512, sd_objects + 576, sd_objects + 640, sd_objects + 704
        .quad   0, 0, 0, 0                      # class 3 free slots
        .quad   1                               # slot 32: class 4 begin marker
        .quad   sd_objects + 768, sd_objects + 832, sd_objects + 896, sd_objects + 960
        .quad   0, 0, 0, 0                      # class 4 free slots
        .quad   1                               # slot 41: class 5 begin marker
        .quad   sd_objects + 1024, sd_objects + 1088, sd_objects + 1152, sd_objects + 1216
        .quad   0, 0, 0, 0                      # class 5 free slots
        .quad   1                               # slot 50: class 6 begin marker
        .quad   sd_objects + 1280, sd_objects + 1344, sd_objects + 1408, sd_objects + 1472
        .quad   0, 0, 0, 0                      # class 6 free slots
        .quad   1                               # slot 59: class 7 begin marker
        .quad   sd_objects + 1536, sd_objects + 1600, sd_objects + 1664, sd_objects + 1728
        .quad   0, 0, 0, 0                      # class 7 free slots
        .quad   1                               # slot 68: class 8 begin marker
        .quad   sd_objects + 1792, sd_objects + 1856, sd_objects + 1920, sd_objects + 1984
        .quad   0, 0, 0, 0                      # class 8 free slots
        .zero   15768                           # rest of region 0 (16384 - 616)
        .zero   245760                          # regions of CPUs 1..15 (15 x 16384)
        # Globals at page offset 0x800, away from the header stores (as slab_pop_push.s).
        .zero   2048
        .globl  sd_slabs
sd_slabs:
        .quad   sd_slab_region                  # TCMalloc slabs_ (shift fixed at 14)
        .globl  sd_aborts
sd_aborts:
        .quad   0
        .globl  sd_slowpaths
sd_slowpaths:
        .quad   0

        .bss
        .balign 64
        .globl  sd_objects
sd_objects:
        .zero   2048                            # four 64-byte objects per class
