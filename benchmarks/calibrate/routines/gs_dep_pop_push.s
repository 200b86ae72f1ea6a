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
        # One Pop+Push pair per size class k = 1..8 in turn (.irp: the text is written once).
        .irp    k, 1, 2, 3, 4, 5, 6, 7, 8
        # ---- class \k: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        leal    \k(%rdi), %esi                   # size class \k, dependent
.Lgd_pop\k\()_retry:
        leaq    __rseq_cs_gd_pop\k(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgd_pop\k\()_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgd_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current - 1
.Lgd_pop\k\()_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class \k: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgd_push\k\()_retry:
        leaq    __rseq_cs_gd_push\k(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgd_push\k\()_start:
        movzwq  %gs:0(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgd_slow                       # full
        movq    %rdx, %gs:0(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:0(,%rsi,4)              # commit current + 1
.Lgd_push\k\()_commit:
        .endr
        ret
.Lgd_slow:
        addq    $1, gd_slowpaths(%rip)
        ret
        .size   gs_dep_pop_push, . - gs_dep_pop_push

        .pushsection __rseq_failure, "ax"
        .irp    k, 1, 2, 3, 4, 5, 6, 7, 8
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_pop\k\()_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_pop\k\()_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgd_push\k\()_abort:
        addq    $1, gd_aborts(%rip)
        jmp     .Lgd_push\k\()_retry
        .endr
        .popsection

        .pushsection __rseq_cs, "aw"
        .irp    k, 1, 2, 3, 4, 5, 6, 7, 8
        .balign 32
__rseq_cs_gd_pop\k:
        .long   0, 0                            # version, flags
        .quad   .Lgd_pop\k\()_start, .Lgd_pop\k\()_commit - .Lgd_pop\k\()_start, .Lgd_pop\k\()_abort
        .balign 32
__rseq_cs_gd_push\k:
        .long   0, 0                            # version, flags
        .quad   .Lgd_push\k\()_start, .Lgd_push\k\()_commit - .Lgd_push\k\()_start, .Lgd_push\k\()_abort
        .endr
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
        .irp    k, 1, 2, 3, 4, 5, 6, 7, 8
        .short  10 + 9*(\k-1), 14 + 9*(\k-1)    # class \k header: current m+5, end m+9
        .endr
        .zero   4                               # to slot 5
        .irp    k, 1, 2, 3, 4, 5, 6, 7, 8
        .quad   1                               # slot m = 5 + 9*(\k-1): class \k begin marker
        .quad   gd_objects + 256*(\k-1), gd_objects + 256*(\k-1) + 64
        .quad   gd_objects + 256*(\k-1) + 128, gd_objects + 256*(\k-1) + 192
        .quad   0, 0, 0, 0                      # class \k free slots
        .endr
        .zero   15768                           # rest of region 0 (16384 - 616)

        .bss
        .balign 64
        .globl  gd_objects
gd_objects:
        .zero   2048                            # four 64-byte objects per class
