# gs_rot_pop_push: the eight pairs of slab_rot_pop_push.s (classes 1..8 in turn, Pop then Push
# of the same object per class) in the proposed GS mode, ABI variant (c) (userspace.md section 6
# column (c)): %gs: operands, no id load, no slab base, no shift/add; __rseq_offset only feeds
# the rseq_cs stores. Requires GS base = gr_slab_region (`vcpusim asm ... --gs-base
# gr_slab_region`; natively the harness sets it before this routine's calls).
# Slab layout (userspace.md section 1.3, shift 14, 4-byte headers {u16 current, u16 end}): class
# k in 1..8 has its begin marker (low bit set) in slot m = 5 + 9(k-1) (the 9 headers of classes
# 0..8 fill bytes 0..35), four objects in slots m+1..m+4, current = m+5, end = m+9 (four free
# slots): class 1 slots 5..13, ..., class 8 68..76. Every pair pops slot m+4 and pushes it back,
# so no class ever under- or overflows. Abort handlers behind librseq's ud1 signature (RSEQ_SIG
# 0x53053053) count in gr_aborts and retry their section; underflow/overflow (never expected)
# count in gr_slowpaths and return.
# Clobbers rax, rcx, rdx, rsi, rdi, r8-r11 and flags (all caller-saved in the System V ABI).

        .text
        .globl  gs_rot_pop_push
        .type   gs_rot_pop_push, @function
gs_rot_pop_push:
        # ---- class 1: Pop
        movl    $1, %esi                        # size class
        movq    __rseq_offset(%rip), %r8
.Lgr_pop1_retry:
        leaq    __rseq_cs_gr_pop1(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgr_pop1_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgr_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current - 1
.Lgr_pop1_commit:
        prefetcht0 (%rcx)
        # ---- class 1: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgr_push1_retry:
        leaq    __rseq_cs_gr_push1(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgr_push1_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgr_slow                       # full
        movq    %rdx, %gs:0(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current + 1
.Lgr_push1_commit:
        # ---- class 2: Pop
        movl    $2, %esi                        # size class
        movq    __rseq_offset(%rip), %r8
.Lgr_pop2_retry:
        leaq    __rseq_cs_gr_pop2(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgr_pop2_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgr_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current - 1
.Lgr_pop2_commit:
        prefetcht0 (%rcx)
        # ---- class 2: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgr_push2_retry:
        leaq    __rseq_cs_gr_push2(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgr_push2_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgr_slow                       # full
        movq    %rdx, %gs:0(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current + 1
.Lgr_push2_commit:
        # ---- class 3: Pop
        movl    $3, %esi                        # size class
        movq    __rseq_offset(%rip), %r8
.Lgr_pop3_retry:
        leaq    __rseq_cs_gr_pop3(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgr_pop3_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgr_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current - 1
.Lgr_pop3_commit:
        prefetcht0 (%rcx)
        # ---- class 3: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgr_push3_retry:
        leaq    __rseq_cs_gr_push3(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgr_push3_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgr_slow                       # full
        movq    %rdx, %gs:0(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current + 1
.Lgr_push3_commit:
        # ---- class 4: Pop
        movl    $4, %esi                        # size class
        movq    __rseq_offset(%rip), %r8
.Lgr_pop4_retry:
        leaq    __rseq_cs_gr_pop4(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgr_pop4_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgr_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current - 1
.Lgr_pop4_commit:
        prefetcht0 (%rcx)
        # ---- class 4: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgr_push4_retry:
        leaq    __rseq_cs_gr_push4(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgr_push4_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgr_slow                       # full
        movq    %rdx, %gs:0(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current + 1
.Lgr_push4_commit:
        # ---- class 5: Pop
        movl    $5, %esi                        # size class
        movq    __rseq_offset(%rip), %r8
.Lgr_pop5_retry:
        leaq    __rseq_cs_gr_pop5(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgr_pop5_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgr_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current - 1
.Lgr_pop5_commit:
        prefetcht0 (%rcx)
        # ---- class 5: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgr_push5_retry:
        leaq    __rseq_cs_gr_push5(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgr_push5_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgr_slow                       # full
        movq    %rdx, %gs:0(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current + 1
.Lgr_push5_commit:
        # ---- class 6: Pop
        movl    $6, %esi                        # size class
        movq    __rseq_offset(%rip), %r8
.Lgr_pop6_retry:
        leaq    __rseq_cs_gr_pop6(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgr_pop6_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgr_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current - 1
.Lgr_pop6_commit:
        prefetcht0 (%rcx)
        # ---- class 6: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgr_push6_retry:
        leaq    __rseq_cs_gr_push6(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgr_push6_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgr_slow                       # full
        movq    %rdx, %gs:0(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current + 1
.Lgr_push6_commit:
        # ---- class 7: Pop
        movl    $7, %esi                        # size class
        movq    __rseq_offset(%rip), %r8
.Lgr_pop7_retry:
        leaq    __rseq_cs_gr_pop7(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgr_pop7_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgr_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current - 1
.Lgr_pop7_commit:
        prefetcht0 (%rcx)
        # ---- class 7: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgr_push7_retry:
        leaq    __rseq_cs_gr_push7(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgr_push7_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgr_slow                       # full
        movq    %rdx, %gs:0(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current + 1
.Lgr_push7_commit:
        # ---- class 8: Pop
        movl    $8, %esi                        # size class
        movq    __rseq_offset(%rip), %r8
.Lgr_pop8_retry:
        leaq    __rseq_cs_gr_pop8(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgr_pop8_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgr_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current - 1
.Lgr_pop8_commit:
        prefetcht0 (%rcx)
        # ---- class 8: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgr_push8_retry:
        leaq    __rseq_cs_gr_push8(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgr_push8_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgr_slow                       # full
        movq    %rdx, %gs:0(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current + 1
.Lgr_push8_commit:
        ret
.Lgr_slow:
        addq    $1, gr_slowpaths(%rip)
        ret
        .size   gs_rot_pop_push, . - gs_rot_pop_push

        .pushsection __rseq_failure, "ax"
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgr_pop1_abort:
        addq    $1, gr_aborts(%rip)
        jmp     .Lgr_pop1_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgr_push1_abort:
        addq    $1, gr_aborts(%rip)
        jmp     .Lgr_push1_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgr_pop2_abort:
        addq    $1, gr_aborts(%rip)
        jmp     .Lgr_pop2_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgr_push2_abort:
        addq    $1, gr_aborts(%rip)
        jmp     .Lgr_push2_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgr_pop3_abort:
        addq    $1, gr_aborts(%rip)
        jmp     .Lgr_pop3_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgr_push3_abort:
        addq    $1, gr_aborts(%rip)
        jmp     .Lgr_push3_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgr_pop4_abort:
        addq    $1, gr_aborts(%rip)
        jmp     .Lgr_pop4_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgr_push4_abort:
        addq    $1, gr_aborts(%rip)
        jmp     .Lgr_push4_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgr_pop5_abort:
        addq    $1, gr_aborts(%rip)
        jmp     .Lgr_pop5_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgr_push5_abort:
        addq    $1, gr_aborts(%rip)
        jmp     .Lgr_push5_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgr_pop6_abort:
        addq    $1, gr_aborts(%rip)
        jmp     .Lgr_pop6_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgr_push6_abort:
        addq    $1, gr_aborts(%rip)
        jmp     .Lgr_push6_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgr_pop7_abort:
        addq    $1, gr_aborts(%rip)
        jmp     .Lgr_pop7_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgr_push7_abort:
        addq    $1, gr_aborts(%rip)
        jmp     .Lgr_push7_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgr_pop8_abort:
        addq    $1, gr_aborts(%rip)
        jmp     .Lgr_pop8_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgr_push8_abort:
        addq    $1, gr_aborts(%rip)
        jmp     .Lgr_push8_retry
        .popsection

        .pushsection __rseq_cs, "aw"
        .balign 32
__rseq_cs_gr_pop1:
        .long   0, 0                            # version, flags
        .quad   .Lgr_pop1_start, .Lgr_pop1_commit - .Lgr_pop1_start, .Lgr_pop1_abort
        .balign 32
__rseq_cs_gr_push1:
        .long   0, 0                            # version, flags
        .quad   .Lgr_push1_start, .Lgr_push1_commit - .Lgr_push1_start, .Lgr_push1_abort
        .balign 32
__rseq_cs_gr_pop2:
        .long   0, 0                            # version, flags
        .quad   .Lgr_pop2_start, .Lgr_pop2_commit - .Lgr_pop2_start, .Lgr_pop2_abort
        .balign 32
__rseq_cs_gr_push2:
        .long   0, 0                            # version, flags
        .quad   .Lgr_push2_start, .Lgr_push2_commit - .Lgr_push2_start, .Lgr_push2_abort
        .balign 32
__rseq_cs_gr_pop3:
        .long   0, 0                            # version, flags
        .quad   .Lgr_pop3_start, .Lgr_pop3_commit - .Lgr_pop3_start, .Lgr_pop3_abort
        .balign 32
__rseq_cs_gr_push3:
        .long   0, 0                            # version, flags
        .quad   .Lgr_push3_start, .Lgr_push3_commit - .Lgr_push3_start, .Lgr_push3_abort
        .balign 32
__rseq_cs_gr_pop4:
        .long   0, 0                            # version, flags
        .quad   .Lgr_pop4_start, .Lgr_pop4_commit - .Lgr_pop4_start, .Lgr_pop4_abort
        .balign 32
__rseq_cs_gr_push4:
        .long   0, 0                            # version, flags
        .quad   .Lgr_push4_start, .Lgr_push4_commit - .Lgr_push4_start, .Lgr_push4_abort
        .balign 32
__rseq_cs_gr_pop5:
        .long   0, 0                            # version, flags
        .quad   .Lgr_pop5_start, .Lgr_pop5_commit - .Lgr_pop5_start, .Lgr_pop5_abort
        .balign 32
__rseq_cs_gr_push5:
        .long   0, 0                            # version, flags
        .quad   .Lgr_push5_start, .Lgr_push5_commit - .Lgr_push5_start, .Lgr_push5_abort
        .balign 32
__rseq_cs_gr_pop6:
        .long   0, 0                            # version, flags
        .quad   .Lgr_pop6_start, .Lgr_pop6_commit - .Lgr_pop6_start, .Lgr_pop6_abort
        .balign 32
__rseq_cs_gr_push6:
        .long   0, 0                            # version, flags
        .quad   .Lgr_push6_start, .Lgr_push6_commit - .Lgr_push6_start, .Lgr_push6_abort
        .balign 32
__rseq_cs_gr_pop7:
        .long   0, 0                            # version, flags
        .quad   .Lgr_pop7_start, .Lgr_pop7_commit - .Lgr_pop7_start, .Lgr_pop7_abort
        .balign 32
__rseq_cs_gr_push7:
        .long   0, 0                            # version, flags
        .quad   .Lgr_push7_start, .Lgr_push7_commit - .Lgr_push7_start, .Lgr_push7_abort
        .balign 32
__rseq_cs_gr_pop8:
        .long   0, 0                            # version, flags
        .quad   .Lgr_pop8_start, .Lgr_pop8_commit - .Lgr_pop8_start, .Lgr_pop8_abort
        .balign 32
__rseq_cs_gr_push8:
        .long   0, 0                            # version, flags
        .quad   .Lgr_push8_start, .Lgr_push8_commit - .Lgr_push8_start, .Lgr_push8_abort
        .popsection

        .data
        .balign 8
        .globl  gr_aborts
        .globl  gr_slowpaths
gr_aborts:
        .quad   0
gr_slowpaths:
        .quad   0
        .balign 4096
        .globl  gr_slab_region
gr_slab_region:                                 # region of id 0: the GS base
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
        .quad   gr_objects + 0, gr_objects + 64, gr_objects + 128, gr_objects + 192
        .quad   0, 0, 0, 0                      # class 1 free slots
        .quad   1                               # slot 14: class 2 begin marker
        .quad   gr_objects + 256, gr_objects + 320, gr_objects + 384, gr_objects + 448
        .quad   0, 0, 0, 0                      # class 2 free slots
        .quad   1                               # slot 23: class 3 begin marker
        .quad   gr_objects + 512, gr_objects + 576, gr_objects + 640, gr_objects + 704
        .quad   0, 0, 0, 0                      # class 3 free slots
        .quad   1                               # slot 32: class 4 begin marker
        .quad   gr_objects + 768, gr_objects + 832, gr_objects + 896, gr_objects + 960
        .quad   0, 0, 0, 0                      # class 4 free slots
        .quad   1                               # slot 41: class 5 begin marker
        .quad   gr_objects + 1024, gr_objects + 1088, gr_objects + 1152, gr_objects + 1216
        .quad   0, 0, 0, 0                      # class 5 free slots
        .quad   1                               # slot 50: class 6 begin marker
        .quad   gr_objects + 1280, gr_objects + 1344, gr_objects + 1408, gr_objects + 1472
        .quad   0, 0, 0, 0                      # class 6 free slots
        .quad   1                               # slot 59: class 7 begin marker
        .quad   gr_objects + 1536, gr_objects + 1600, gr_objects + 1664, gr_objects + 1728
        .quad   0, 0, 0, 0                      # class 7 free slots
        .quad   1                               # slot 68: class 8 begin marker
        .quad   gr_objects + 1792, gr_objects + 1856, gr_objects + 1920, gr_objects + 1984
        .quad   0, 0, 0, 0                      # class 8 free slots
        .zero   15768                           # rest of region 0 (16384 - 616)

        .bss
        .balign 64
        .globl  gr_objects
gr_objects:
        .zero   2048                            # four 64-byte objects per class
