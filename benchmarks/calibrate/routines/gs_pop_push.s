# gs_pop_push: the same Pop + Push pair as slab_pop_push.s in the proposed GS mode, ABI variant
# (c) (reference userspace.md section 6, column (c)): the kernel keeps the GS base at
# origin + stride * id, so the fast path addresses its region with %gs: operands and never loads
# an id, the slab base or does the shift/add. __rseq_offset is still loaded, only to register the
# critical section (it feeds the rseq_cs store alone).
#
# Requires GS base = gs_slab_region (the region of id 0, which a single-threaded process has);
# `vcpusim asm ... --gs-base gs_slab_region`; natively the harness sets it with WRGSBASE
# (HWCAP2_FSGSBASE) or arch_prctl(ARCH_SET_GS).
# Layout as slab_pop_push.s (Era 3 4-byte headers, begin marker, shift 14): class 1 has begin 2,
# end 10, current 6; every call pops slot 5 and pushes it back. Abort handlers behind librseq's
# ud1 signature count in gs_aborts and retry; underflow/overflow count in gs_slowpaths.
# Clobbers rax, rcx, rdx, rsi, r8, r9 and flags (all caller-saved in the System V ABI).

        .text
        .globl  gs_pop_push
        .type   gs_pop_push, @function
gs_pop_push:
        movl    $1, %esi                        # size class
        # ---- Pop
        movq    __rseq_offset(%rip), %r8        # feeds only the rseq_cs store
.Lgs_pop_retry:
        leaq    __rseq_cs_gs_pop(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lgs_pop_start:
        movzwq  %gs:(,%rsi,4), %rax             # header.current
        movq    %gs:-8(,%rax,8), %rdx           # object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lgs_slow
        movq    %gs:-16(,%rax,8), %rcx          # next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, %gs:(,%rsi,4)              # commit current - 1
.Lgs_pop_commit:
        prefetcht0 (%rcx)
        # ---- Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
.Lgs_push_retry:
        leaq    __rseq_cs_gs_push(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lgs_push_start:
        movzwq  %gs:(,%rsi,4), %rax             # header.current
        cmpw    %gs:2(,%rsi,4), %ax             # header.end
        jae     .Lgs_slow                       # full
        movq    %rdx, %gs:(,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, %gs:(,%rsi,4)              # commit current + 1
.Lgs_push_commit:
        ret
.Lgs_slow:
        addq    $1, gs_slowpaths(%rip)
        ret
        .size   gs_pop_push, . - gs_pop_push

        .pushsection __rseq_failure, "ax"
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lgs_pop_abort:
        addq    $1, gs_aborts(%rip)
        jmp     .Lgs_pop_retry
        .byte   0x0f, 0xb9, 0x3d
        .long   0x53053053
.Lgs_push_abort:
        addq    $1, gs_aborts(%rip)
        jmp     .Lgs_push_retry
        .popsection

        .pushsection __rseq_cs, "aw"
        .balign 32
__rseq_cs_gs_pop:
        .long   0, 0                            # version, flags
        .quad   .Lgs_pop_start, .Lgs_pop_commit - .Lgs_pop_start, .Lgs_pop_abort
        .balign 32
__rseq_cs_gs_push:
        .long   0, 0
        .quad   .Lgs_push_start, .Lgs_push_commit - .Lgs_push_start, .Lgs_push_abort
        .popsection

        .data
        .balign 8
        .globl  gs_aborts
        .globl  gs_slowpaths
gs_aborts:
        .quad   0
gs_slowpaths:
        .quad   0

        .balign 4096
        .globl  gs_slab_region
gs_slab_region:                                 # region of id 0: the GS base
        .short  0, 0                            # class 0 header: unused
        .short  6, 10                           # class 1 header: current 6, end 10
        .quad   1                               # slot 1: begin marker (kBeginMark)
        .quad   gs_objects, gs_objects + 64, gs_objects + 128, gs_objects + 192  # slots 2-5
        .quad   0, 0, 0, 0                      # slots 6-9: free
        .zero   16304                           # rest of the 16 KiB region

        .bss
        .balign 64
        .globl  gs_objects
gs_objects:
        .zero   256                             # four 64-byte objects
