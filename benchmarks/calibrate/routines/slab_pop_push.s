# slab_pop_push: a TCMalloc-style per-CPU slab Pop followed by a Push of the same object into the
# same size class, ABI variant (a): the slab region is chosen by rseq cpu_id read through glibc's
# __rseq_offset (reference userspace.md section 6, column (a), rows 1-15; Push per section 1.5).
#
# Slab layout (TCMalloc Era 3, userspace.md section 1.3): one region per CPU at
# sl_slab_region + (cpu << 14) (shift 14 = 16 KiB, the smallest normal-build shift); at the start
# of a region one 4-byte header per size class {uint16 current @0, uint16 end @2}; slot indexes
# count 8-byte words from the region start; occupied slots are [begin, current); the slot before
# `begin` holds the begin marker (low bit set), so Pop sees "empty" by testing the popped
# value's low bit instead of loading header.begin.
# Size class 1 (a constant here; TCMalloc computes it before the fast path): begin = 2,
# end = 10, current = 6, i.e. slot 1 = marker, slots 2..5 = four objects, slots 6..9 free. Each
# call pops the object in slot 5 and pushes it back, so the slab never under- or overflows.
# Region 0 is initialised here; regions 1..15 are zero (a native harness pinned to CPU c copies
# region 0 to region c; `vcpusim asm` runs on cpu_id 0).
#
# Each fast path is a separate critical section registered by a store of its descriptor's
# address into rseq_cs (+8); each re-loads __rseq_offset and the slab base, as two inlined
# TCMalloc fast paths would. Abort handlers sit behind librseq's ud1 signature (RSEQ_SIG
# 0x53053053), count the abort in sl_aborts and retry their critical section. Underflow/overflow
# (never expected here) count in sl_slowpaths and return.
# Clobbers rax, rcx, rdx, rsi, r8-r11 and flags (all caller-saved in the System V ABI).

        .text
        .globl  slab_pop_push
        .type   slab_pop_push, @function
slab_pop_push:
        movl    $1, %esi                        # size class
        # ---- Pop
        movq    __rseq_offset(%rip), %r8        # L0: rseq_offset
        movq    sl_slabs(%rip), %r11            # Lg: slab base
.Lsl_pop_retry:
        leaq    __rseq_cs_sl_pop(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # S0: rseq_cs = &descriptor
.Lsl_pop_start:
        movl    %fs:4(%r8), %r10d               # L1: cpu_id
        shlq    $14, %r10
        addq    %r11, %r10                      # this CPU's region
        movzwq  (%r10,%rsi,4), %rax             # L2: header.current
        movq    -8(%r10,%rax,8), %rdx           # L3: object
        testb   $1, %dl                         # begin marker => empty
        jnz     .Lsl_slow
        movq    -16(%r10,%rax,8), %rcx          # L4: next object (prefetch target)
        leaq    -1(%rax), %rax
        movw    %ax, (%r10,%rsi,4)              # S1: commit current - 1
.Lsl_pop_commit:
        prefetcht0 (%rcx)
        # ---- Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sl_slabs(%rip), %r11
.Lsl_push_retry:
        leaq    __rseq_cs_sl_push(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsl_push_start:
        movl    %fs:4(%r8), %r10d               # cpu_id
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  (%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsl_slow                       # full
        movq    %rdx, (%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, (%r10,%rsi,4)              # commit current + 1
.Lsl_push_commit:
        ret
.Lsl_slow:
        addq    $1, sl_slowpaths(%rip)
        ret
        .size   slab_pop_push, . - slab_pop_push

        .pushsection __rseq_failure, "ax"
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsl_pop_abort:
        addq    $1, sl_aborts(%rip)
        jmp     .Lsl_pop_retry
        .byte   0x0f, 0xb9, 0x3d
        .long   0x53053053
.Lsl_push_abort:
        addq    $1, sl_aborts(%rip)
        jmp     .Lsl_push_retry
        .popsection

        .pushsection __rseq_cs, "aw"
        .balign 32
__rseq_cs_sl_pop:
        .long   0, 0                            # version, flags
        .quad   .Lsl_pop_start, .Lsl_pop_commit - .Lsl_pop_start, .Lsl_pop_abort
        .balign 32
__rseq_cs_sl_push:
        .long   0, 0
        .quad   .Lsl_push_start, .Lsl_push_commit - .Lsl_push_start, .Lsl_push_abort
        .popsection

        .data
        .balign 4096
        .globl  sl_slab_region
sl_slab_region:                                 # region of CPU 0
        .short  0, 0                            # class 0 header: unused
        .short  6, 10                           # class 1 header: current 6, end 10
        .quad   1                               # slot 1: begin marker (kBeginMark)
        .quad   sl_objects, sl_objects + 64, sl_objects + 128, sl_objects + 192  # slots 2-5
        .quad   0, 0, 0, 0                      # slots 6-9: free
        .zero   16304                           # rest of region 0 (16384 - 80)
        .zero   245760                          # regions of CPUs 1..15 (15 x 16384)
        # The globals sit at page offset 0x800: at offset 0 the slab-base load would share its
        # low 12 address bits with the header store (page offset 4) of the fast path before it,
        # a possible 4K-aliasing false dependency that belongs to this layout, not to TCMalloc
        # (README.md, observations).
        .zero   2048
        .globl  sl_slabs
sl_slabs:
        .quad   sl_slab_region                  # TCMalloc slabs_ (shift fixed at 14)
        .globl  sl_aborts
sl_aborts:
        .quad   0
        .globl  sl_slowpaths
sl_slowpaths:
        .quad   0

        .bss
        .balign 64
        .globl  sl_objects
sl_objects:
        .zero   256                             # four 64-byte objects
