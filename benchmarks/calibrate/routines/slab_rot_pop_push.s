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
        # One Pop+Push pair per size class k = 1..8 in turn (.irp: the text is written once).
        .irp    k, 1, 2, 3, 4, 5, 6, 7, 8
        # ---- class \k: Pop
        movl    $\k, %esi                        # size class
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_pop\k\()_retry:
        leaq    __rseq_cs_sr_pop\k(%rip), %r9
        movq    %r9, %fs:8(%r8)                 # rseq_cs = &descriptor
.Lsr_pop\k\()_start:
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
.Lsr_pop\k\()_commit:
        prefetcht0 (%rcx)
        # ---- class \k: Push of the popped object (rdx)
        movq    __rseq_offset(%rip), %r8
        movq    sr_slabs(%rip), %r11
.Lsr_push\k\()_retry:
        leaq    __rseq_cs_sr_push\k(%rip), %r9
        movq    %r9, %fs:8(%r8)
.Lsr_push\k\()_start:
        movl    %fs:4(%r8), %r10d
        shlq    $14, %r10
        addq    %r11, %r10
        movzwq  0(%r10,%rsi,4), %rax             # header.current
        cmpw    2(%r10,%rsi,4), %ax             # header.end
        jae     .Lsr_slow                       # full
        movq    %rdx, 0(%r10,%rax,8)             # slot[current] = object
        leaq    1(%rax), %rax
        movw    %ax, 0(%r10,%rsi,4)              # commit current + 1
.Lsr_push\k\()_commit:
        .endr
        ret
.Lsr_slow:
        addq    $1, sr_slowpaths(%rip)
        ret
        .size   slab_rot_pop_push, . - slab_rot_pop_push

        .pushsection __rseq_failure, "ax"
        .irp    k, 1, 2, 3, 4, 5, 6, 7, 8
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_pop\k\()_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_pop\k\()_retry
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lsr_push\k\()_abort:
        addq    $1, sr_aborts(%rip)
        jmp     .Lsr_push\k\()_retry
        .endr
        .popsection

        .pushsection __rseq_cs, "aw"
        .irp    k, 1, 2, 3, 4, 5, 6, 7, 8
        .balign 32
__rseq_cs_sr_pop\k:
        .long   0, 0                            # version, flags
        .quad   .Lsr_pop\k\()_start, .Lsr_pop\k\()_commit - .Lsr_pop\k\()_start, .Lsr_pop\k\()_abort
        .balign 32
__rseq_cs_sr_push\k:
        .long   0, 0                            # version, flags
        .quad   .Lsr_push\k\()_start, .Lsr_push\k\()_commit - .Lsr_push\k\()_start, .Lsr_push\k\()_abort
        .endr
        .popsection

        .data
        .balign 4096
        .globl  sr_slab_region
sr_slab_region:                                 # region of CPU 0
        .short  0, 0                            # class 0 header: unused
        .irp    k, 1, 2, 3, 4, 5, 6, 7, 8
        .short  10 + 9*(\k-1), 14 + 9*(\k-1)    # class \k header: current m+5, end m+9
        .endr
        .zero   4                               # to slot 5
        .irp    k, 1, 2, 3, 4, 5, 6, 7, 8
        .quad   1                               # slot m = 5 + 9*(\k-1): class \k begin marker
        .quad   sr_objects + 256*(\k-1), sr_objects + 256*(\k-1) + 64
        .quad   sr_objects + 256*(\k-1) + 128, sr_objects + 256*(\k-1) + 192
        .quad   0, 0, 0, 0                      # class \k free slots
        .endr
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
