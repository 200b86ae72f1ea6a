# gs_dep_pop_push: slab_dep_pop_push.s in GS mode, ABI variant (c): the dependent start feeds the
# size class (and the __rseq_offset load, which only feeds the rseq_cs store), so the chain is
# rows 8 -> 9 of section 6 (2 loads, both through %gs with a non-zero base) plus `mov`+`shr`.
# Requires GS base = gd_slab_region (`--gs-base gd_slab_region`).
# Slab layout (userspace.md section 1.3, shift 14, 4-byte headers {u16 current, u16 end}): class
# k in 1..8 has its begin marker (low bit set) in slot m = 5 + 9(k-1) (the 9 headers of classes
# 0..8 fill bytes 0..35), four objects in slots m+1..m+4, current = m+5, end = m+9 (four free
# slots): class 1 slots 5..13, ..., class 8 68..76. Every pair pops slot m+4 and pushes it back,
# so no class ever under- or overflows. Abort handlers behind librseq's ud1 signature (RSEQ_SIG
# 0x53053053) count in gd_aborts and retry their section; underflow/overflow (never expected)
# count in gd_slowpaths and return.
# Clobbers rax, rcx, rdx, rsi, rdi, r8-r11 and flags (all caller-saved in the System V ABI).

        .text
        .globl  gs_dep_pop_push
        .type   gs_dep_pop_push, @function
gs_dep_pop_push:
        shrq    $48, %rdi                       # dep = 0, carried from the previous call
        # ---- class 1: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        leal    1(%rdi), %esi                    # size class 1, dependent
.Lgd_pop1_retry:
        leaq    __rseq_cs_gd_pop1(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgd_pop1_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgd_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current - 1
.Lgd_pop1_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class 1: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgd_push1_retry:
        leaq    __rseq_cs_gd_push1(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgd_push1_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgd_slow                       # full
        movq    %rdx, %gs:0(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current + 1
.Lgd_push1_commit:
        # ---- class 2: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        leal    2(%rdi), %esi                    # size class 2, dependent
.Lgd_pop2_retry:
        leaq    __rseq_cs_gd_pop2(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgd_pop2_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgd_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current - 1
.Lgd_pop2_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class 2: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgd_push2_retry:
        leaq    __rseq_cs_gd_push2(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgd_push2_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgd_slow                       # full
        movq    %rdx, %gs:0(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current + 1
.Lgd_push2_commit:
        # ---- class 3: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        leal    3(%rdi), %esi                    # size class 3, dependent
.Lgd_pop3_retry:
        leaq    __rseq_cs_gd_pop3(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgd_pop3_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgd_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current - 1
.Lgd_pop3_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class 3: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgd_push3_retry:
        leaq    __rseq_cs_gd_push3(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgd_push3_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgd_slow                       # full
        movq    %rdx, %gs:0(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current + 1
.Lgd_push3_commit:
        # ---- class 4: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        leal    4(%rdi), %esi                    # size class 4, dependent
.Lgd_pop4_retry:
        leaq    __rseq_cs_gd_pop4(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgd_pop4_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgd_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current - 1
.Lgd_pop4_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class 4: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgd_push4_retry:
        leaq    __rseq_cs_gd_push4(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgd_push4_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgd_slow                       # full
        movq    %rdx, %gs:0(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current + 1
.Lgd_push4_commit:
        # ---- class 5: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        leal    5(%rdi), %esi                    # size class 5, dependent
.Lgd_pop5_retry:
        leaq    __rseq_cs_gd_pop5(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgd_pop5_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgd_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current - 1
.Lgd_pop5_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class 5: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgd_push5_retry:
        leaq    __rseq_cs_gd_push5(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgd_push5_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgd_slow                       # full
        movq    %rdx, %gs:0(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current + 1
.Lgd_push5_commit:
        # ---- class 6: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        leal    6(%rdi), %esi                    # size class 6, dependent
.Lgd_pop6_retry:
        leaq    __rseq_cs_gd_pop6(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgd_pop6_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgd_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current - 1
.Lgd_pop6_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class 6: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgd_push6_retry:
        leaq    __rseq_cs_gd_push6(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgd_push6_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgd_slow                       # full
        movq    %rdx, %gs:0(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current + 1
.Lgd_push6_commit:
        # ---- class 7: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        leal    7(%rdi), %esi                    # size class 7, dependent
.Lgd_pop7_retry:
        leaq    __rseq_cs_gd_pop7(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgd_pop7_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgd_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current - 1
.Lgd_pop7_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class 7: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgd_push7_retry:
        leaq    __rseq_cs_gd_push7(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgd_push7_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgd_slow                       # full
        movq    %rdx, %gs:0(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current + 1
.Lgd_push7_commit:
        # ---- class 8: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        leal    8(%rdi), %esi                    # size class 8, dependent
.Lgd_pop8_retry:
        leaq    __rseq_cs_gd_pop8(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgd_pop8_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgd_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current - 1
.Lgd_pop8_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class 8: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgd_push8_retry:
        leaq    __rseq_cs_gd_push8(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgd_push8_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgd_slow                       # full
        movq    %rdx, %gs:0(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current + 1
.Lgd_push8_commit:
        ret
.Lgd_slow:
        addq    $1, gd_slowpaths(%rip)
        ret
        .size   gs_dep_pop_push, . - gs_dep_pop_push

        .pushsection __rseq_failure, "ax"
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_pop1_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_pop1_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_push1_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_push1_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_pop2_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_pop2_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_push2_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_push2_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_pop3_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_pop3_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_push3_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_push3_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_pop4_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_pop4_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_push4_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_push4_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_pop5_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_pop5_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_push5_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_push5_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_pop6_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_pop6_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_push6_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_push6_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_pop7_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_pop7_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_push7_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_push7_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_pop8_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_pop8_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_push8_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_push8_retry
        .popsection

        .pushsection __rseq_cs, "aw"
        .balign 32
__rseq_cs_gd_pop1:
        .long   0, 0                            # version, flags
        .quad   .Lgd_pop1_start, .Lgd_pop1_commit - .Lgd_pop1_start, .Lgd_pop1_abort
        .balign 32
__rseq_cs_gd_push1:
        .long   0, 0                            # version, flags
        .quad   .Lgd_push1_start, .Lgd_push1_commit - .Lgd_push1_start, .Lgd_push1_abort
        .balign 32
__rseq_cs_gd_pop2:
        .long   0, 0                            # version, flags
        .quad   .Lgd_pop2_start, .Lgd_pop2_commit - .Lgd_pop2_start, .Lgd_pop2_abort
        .balign 32
__rseq_cs_gd_push2:
        .long   0, 0                            # version, flags
        .quad   .Lgd_push2_start, .Lgd_push2_commit - .Lgd_push2_start, .Lgd_push2_abort
        .balign 32
__rseq_cs_gd_pop3:
        .long   0, 0                            # version, flags
        .quad   .Lgd_pop3_start, .Lgd_pop3_commit - .Lgd_pop3_start, .Lgd_pop3_abort
        .balign 32
__rseq_cs_gd_push3:
        .long   0, 0                            # version, flags
        .quad   .Lgd_push3_start, .Lgd_push3_commit - .Lgd_push3_start, .Lgd_push3_abort
        .balign 32
__rseq_cs_gd_pop4:
        .long   0, 0                            # version, flags
        .quad   .Lgd_pop4_start, .Lgd_pop4_commit - .Lgd_pop4_start, .Lgd_pop4_abort
        .balign 32
__rseq_cs_gd_push4:
        .long   0, 0                            # version, flags
        .quad   .Lgd_push4_start, .Lgd_push4_commit - .Lgd_push4_start, .Lgd_push4_abort
        .balign 32
__rseq_cs_gd_pop5:
        .long   0, 0                            # version, flags
        .quad   .Lgd_pop5_start, .Lgd_pop5_commit - .Lgd_pop5_start, .Lgd_pop5_abort
        .balign 32
__rseq_cs_gd_push5:
        .long   0, 0                            # version, flags
        .quad   .Lgd_push5_start, .Lgd_push5_commit - .Lgd_push5_start, .Lgd_push5_abort
        .balign 32
__rseq_cs_gd_pop6:
        .long   0, 0                            # version, flags
        .quad   .Lgd_pop6_start, .Lgd_pop6_commit - .Lgd_pop6_start, .Lgd_pop6_abort
        .balign 32
__rseq_cs_gd_push6:
        .long   0, 0                            # version, flags
        .quad   .Lgd_push6_start, .Lgd_push6_commit - .Lgd_push6_start, .Lgd_push6_abort
        .balign 32
__rseq_cs_gd_pop7:
        .long   0, 0                            # version, flags
        .quad   .Lgd_pop7_start, .Lgd_pop7_commit - .Lgd_pop7_start, .Lgd_pop7_abort
        .balign 32
__rseq_cs_gd_push7:
        .long   0, 0                            # version, flags
        .quad   .Lgd_push7_start, .Lgd_push7_commit - .Lgd_push7_start, .Lgd_push7_abort
        .balign 32
__rseq_cs_gd_pop8:
        .long   0, 0                            # version, flags
        .quad   .Lgd_pop8_start, .Lgd_pop8_commit - .Lgd_pop8_start, .Lgd_pop8_abort
        .balign 32
__rseq_cs_gd_push8:
        .long   0, 0                            # version, flags
        .quad   .Lgd_push8_start, .Lgd_push8_commit - .Lgd_push8_start, .Lgd_push8_abort
        .popsection

        .data
        .balign 8
        .globl  gd_aborts
        .globl  gd_slowpaths
gd_aborts:
        .quad   0
gd_slowpaths:
        .quad   0
        .balign 4096
        .globl  gd_slab_region
gd_slab_region:                                 # region of id 0: the GS base
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
        .quad   gd_objects + 0, gd_objects + 64, gd_objects + 128, gd_objects + 192
        .quad   0, 0, 0, 0                      # class 1 free slots
        .quad   1                               # slot 14: class 2 begin marker
        .quad   gd_objects + 256, gd_objects + 320, gd_objects + 384, gd_objects + 448
        .quad   0, 0, 0, 0                      # class 2 free slots
        .quad   1                               # slot 23: class 3 begin marker
        .quad   gd_objects + 512, gd_objects + 576, gd_objects + 640, gd_objects + 704
        .quad   0, 0, 0, 0                      # class 3 free slots
        .quad   1                               # slot 32: class 4 begin marker
        .quad   gd_objects + 768, gd_objects + 832, gd_objects + 896, gd_objects + 960
        .quad   0, 0, 0, 0                      # class 4 free slots
        .quad   1                               # slot 41: class 5 begin marker
        .quad   gd_objects + 1024, gd_objects + 1088, gd_objects + 1152, gd_objects + 1216
        .quad   0, 0, 0, 0                      # class 5 free slots
        .quad   1                               # slot 50: class 6 begin marker
        .quad   gd_objects + 1280, gd_objects + 1344, gd_objects + 1408, gd_objects + 1472
        .quad   0, 0, 0, 0                      # class 6 free slots
        .quad   1                               # slot 59: class 7 begin marker
        .quad   gd_objects + 1536, gd_objects + 1600, gd_objects + 1664, gd_objects + 1728
        .quad   0, 0, 0, 0                      # class 7 free slots
        .quad   1                               # slot 68: class 8 begin marker
        .quad   gd_objects + 1792, gd_objects + 1856, gd_objects + 1920, gd_objects + 1984
        .quad   0, 0, 0, 0                      # class 8 free slots
        .zero   15768                           # rest of region 0 (16384 - 616)

        .bss
        .balign 64
        .globl  gd_objects
gd_objects:
        .zero   2048                            # four 64-byte objects per class
