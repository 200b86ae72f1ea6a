# A TCMalloc-style per-CPU slab malloc/free loop: Pop an object from the size class's slab, write
# its first word, Push it back, in a counted loop that never ends (an outer jump reloads the count).
# Two ABI variants of /work/shared/reference/userspace.md section 6 (4-byte header {current, end},
# begin-mark test on the popped pointer):
#   loop_cpu_id  (a) the slab region is indexed by rseq cpu_id read through %fs (rows 1-15);
#   loop_gs      (c) GS mode: the kernel points %gs at this id's region (rows 1, 3, 4, 8-15).
# Push is the era-3 Push of userspace.md 1.5 with the same id access as its Pop. Each operation
# registers its own rseq critical section (the rseq_cs store); the underflow and overflow paths are
# never taken in steady state (the popped object goes straight back) and end in ud2.
# Caller: %fs = thread pointer (tp below), %gs = region1 (variant c), %rsi = size class (3).
        .set SHIFT, 18
        .set RSEQ_CS, 8
        .set RSEQ_CPU_ID, 4
        .set COUNT, 1000

        .data
        .balign 8
__rseq_offset:  .quad -96
slabs:          .quad slabs_start

# ---------------------------------------------------------------- (a) cpu_id
        .text
        .globl loop_cpu_id
loop_cpu_id:
        movq $COUNT, %r12
1:      movq __rseq_offset(%rip), %r8
        movq slabs(%rip), %r11
        leaq __rseq_cs_pop_a(%rip), %r9
        movq %r9, %fs:RSEQ_CS(%r8)
2:      movl %fs:RSEQ_CPU_ID(%r8), %r10d
        shlq $SHIFT, %r10
        addq %r11, %r10
        movzwq (%r10,%rsi,4), %rax
        movq -8(%r10,%rax,8), %rdx
        testb $1, %dl
        jnz .Lunderflow
        movq -16(%r10,%rax,8), %rcx
        leaq -1(%rax), %rax
        movw %ax, (%r10,%rsi,4)
3:      prefetcht0 (%rcx)
        movq %r12, (%rdx)                       # the caller uses the object
        movq __rseq_offset(%rip), %r8
        movq slabs(%rip), %r11
        leaq __rseq_cs_push_a(%rip), %r9
        movq %r9, %fs:RSEQ_CS(%r8)
4:      movl %fs:RSEQ_CPU_ID(%r8), %r10d
        shlq $SHIFT, %r10
        addq %r11, %r10
        movzwq (%r10,%rsi,4), %rax
        cmpw 2(%r10,%rsi,4), %ax
        jae .Loverflow
        movq %rdx, (%r10,%rax,8)
        leaq 1(%rax), %rax
        movw %ax, (%r10,%rsi,4)
5:      decq %r12
        jnz 1b
        jmp loop_cpu_id

# ---------------------------------------------------------------- (c) GS mode
        .globl loop_gs
loop_gs:
        movq $COUNT, %r12
1:      movq __rseq_offset(%rip), %r8
        leaq __rseq_cs_pop_c(%rip), %r9
        movq %r9, %fs:RSEQ_CS(%r8)
6:      movzwq %gs:(,%rsi,4), %rax
        movq %gs:-8(,%rax,8), %rdx
        testb $1, %dl
        jnz .Lunderflow
        movq %gs:-16(,%rax,8), %rcx
        leaq -1(%rax), %rax
        movw %ax, %gs:(,%rsi,4)
7:      prefetcht0 (%rcx)
        movq %r12, (%rdx)                       # the caller uses the object
        movq __rseq_offset(%rip), %r8
        leaq __rseq_cs_push_c(%rip), %r9
        movq %r9, %fs:RSEQ_CS(%r8)
8:      movzwq %gs:(,%rsi,4), %rax
        cmpw %gs:2(,%rsi,4), %ax
        jae .Loverflow
        movq %rdx, %gs:(,%rax,8)
        leaq 1(%rax), %rax
        movw %ax, %gs:(,%rsi,4)
9:      decq %r12
        jnz 1b
        jmp loop_gs

.Lunderflow:
        ud2
.Loverflow:
        ud2

# ---------------------------------------------------------------- rseq descriptors
        .section __rseq_cs, "aw"
        .balign 32
__rseq_cs_pop_a:
        .long 0, 0
        .quad 2b, 3b - 2b, .Lunderflow
__rseq_cs_push_a:
        .long 0, 0
        .quad 4b, 5b - 4b, .Loverflow
__rseq_cs_pop_c:
        .long 0, 0
        .quad 6b, 7b - 6b, .Lunderflow
__rseq_cs_push_c:
        .long 0, 0
        .quad 8b, 9b - 8b, .Loverflow

# ---------------------------------------------------------------- TLS: struct rseq below tp
        .section .tls, "aw"
        .balign 64
rseq_abi:
        .long 1                                 # cpu_id_start
        .long 1                                 # cpu_id
        .quad 0                                 # rseq_cs
        .long 0                                 # flags
        .long 0                                 # node_id
        .long 1                                 # mm_cid
        .zero 96 - 28
        .globl tp
tp:     .quad tp                                # the TCB's self pointer at %fs:0

# ---------------------------------------------------------------- slabs: 2 regions of 1 << SHIFT
        .section .slabs, "aw"
        .balign 4096
slabs_start:
        .zero 1 << SHIFT                        # region of id 0
        .globl region1
region1:
        .zero 12
        .short 100, 200                         # size class 3: current = 100, end = 200
        .zero 98 * 8 - 16
        .quad objects + 64                      # slot 98: the next object
        .quad objects                           # slot 99: the top object
        .zero 4096 - 100 * 8

# ---------------------------------------------------------------- the objects
        .section .heap, "aw"
        .balign 4096
objects:
        .zero 4096
