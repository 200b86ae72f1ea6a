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
        # One Pop+Push pair per size class k = 1..8 in turn (.irp: the text is written once).
        .irp    k, 1, 2, 3, 4, 5, 6, 7, 8
        # ---- class \k: Pop
        leaq    __rseq_offset(%rip), %r8
        movq    (%r8,%rdi), %r8                 # L0, address depends on the previous Pop
        movq    sd_slabs(%rip), %r11
        leal    \k(%rdi), %esi                   # size class \k, dependent
.Lsd_pop\k\()_retry:
        leaq    __rseq_cs_sd_pop\k(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsd_pop\k\()_start:
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
.Lsd_pop\k\()_commit:
        prefetcht0 (%rcx)
        movq    %rdx, %rdi
        shrq    $48, %rdi                       # dep = 0 once the object is known
        # ---- class \k: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sd_slabs(%rip), %r11
.Lsd_push\k\()_retry:
        leaq    __rseq_cs_sd_push\k(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsd_push\k\()_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsd_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsd_push\k\()_commit:
        .endr
        ret
.Lsd_slow:
        addq    $1, sd_slowpaths(%rip)
        ret
        .size   slab_dep_pop_push, . - slab_dep_pop_push

        .pushsection __rseq_failure, "ax"
        .irp    k, 1, 2, 3, 4, 5, 6, 7, 8
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_pop\k\()_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_pop\k\()_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsd_push\k\()_abort:
        addq    $1, sd_aborts(%rip)
        jmp     .Lsd_push\k\()_retry
        .endr
        .popsection

        .pushsection __rseq_cs, "aw"
        .irp    k, 1, 2, 3, 4, 5, 6, 7, 8
        .balign 32
__rseq_cs_sd_pop\k:
        .long   0, 0                            # version, flags
        .quad   .Lsd_pop\k\()_start, .Lsd_pop\k\()_commit - .Lsd_pop\k\()_start, .Lsd_pop\k\()_abort
        .balign 32
__rseq_cs_sd_push\k:
        .long   0, 0                            # version, flags
        .quad   .Lsd_push\k\()_start, .Lsd_push\k\()_commit - .Lsd_push\k\()_start, .Lsd_push\k\()_abort
        .endr
        .popsection

        .data
        .balign 4096
        .globl  sd_slab_region
sd_slab_region:                                 # region of CPU 0
        .short  0, 0                            # class 0 header: unused
        .irp    k, 1, 2, 3, 4, 5, 6, 7, 8
        .short  10 + 9*(\k-1), 14 + 9*(\k-1)    # class \k header: current m+5, end m+9
        .endr
        .zero   4                               # to slot 5
        .irp    k, 1, 2, 3, 4, 5, 6, 7, 8
        .quad   1                               # slot m = 5 + 9*(\k-1): class \k begin marker
        .quad   sd_objects + 256*(\k-1), sd_objects + 256*(\k-1) + 64
        .quad   sd_objects + 256*(\k-1) + 128, sd_objects + 256*(\k-1) + 192
        .quad   0, 0, 0, 0                      # class \k free slots
        .endr
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
