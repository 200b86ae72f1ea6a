// librseq-style per-CPU counter increment, the shape of rseq_load_add_store__ptr
// (include/rseq/arch/x86/bits.h): store rseq_cs, compare the caller's cpu with cpu_id (or
// mm_cid), add to the per-CPU slot, commit. Abort handler after the ud1 signature.
        .set RSEQ_CPU_ID_START_OFFSET, 0
        .set RSEQ_CPU_ID_OFFSET, 4
        .set RSEQ_CS_OFFSET, 8
        .set RSEQ_MM_CID_OFFSET, 24
        .set RSEQ_SIG, 0x53053053
        .set NR_COUNTERS, 64

        .data
        .globl rseq_offset
        .balign 8
rseq_offset:
        .quad -32

        .bss
        .balign 64
        .globl counters
counters:
        .zero NR_COUNTERS * 8
counters_end:

        .text
/* int percpu_add(intptr_t *v, intptr_t count, int cpu): 0 ok, -1 abort */
        .globl percpu_add
        .type percpu_add, @function
percpu_add:
        movq rseq_offset(%rip), %rax
        .pushsection __rseq_cs, "aw"
        .balign 32
3:      .long 0x0, 0x0
        .quad 1f, (2f - 1f), 4f
        .popsection
        .pushsection __rseq_cs_ptr_array, "aw"
        .quad 3b
        .popsection
        .pushsection __rseq_exit_point_array, "aw"
        .quad 1f, .Labort
        .popsection
        leaq 3b(%rip), %rcx
        movq %rcx, %fs:RSEQ_CS_OFFSET(%rax)
1:      cmpl %edx, %fs:RSEQ_CPU_ID_OFFSET(%rax)
        jnz 4f
        addq %rsi, (%rdi)
2:      xorl %eax, %eax
        ret
        .pushsection __rseq_failure, "ax"
        .byte 0x0f, 0xb9, 0x3d
        .long RSEQ_SIG
4:      jmp .Labort
        .popsection
.Labort:
        movl $-1, %eax
        ret
        .size percpu_add, .-percpu_add

/* void percpu_inc(void): increment this CPU's counter, retrying on abort */
        .globl percpu_inc
percpu_inc:
        movq rseq_offset(%rip), %rax
5:      movl %fs:RSEQ_CPU_ID_START_OFFSET(%rax), %edx
        leaq counters(,%rdx,8), %rdi
        movl $1, %esi
        call percpu_add
        testl %eax, %eax
        jne 5b
        ret

/* The same increment indexed by mm_cid. */
        .globl percpu_add_mm_cid
percpu_add_mm_cid:
        movq rseq_offset(%rip), %rax
        .pushsection __rseq_cs, "aw"
        .balign 32
3:      .long 0x0, 0x0
        .quad 1f, (2f - 1f), 4f
        .popsection
        leaq 3b(%rip), %rcx
        movq %rcx, %fs:RSEQ_CS_OFFSET(%rax)
1:      cmpl %edx, %fs:RSEQ_MM_CID_OFFSET(%rax)
        jnz 4f
        addq %rsi, (%rdi)
2:      xorl %eax, %eax
        ret
        .pushsection __rseq_failure, "ax"
        .byte 0x0f, 0xb9, 0x3d
        .long RSEQ_SIG
4:      movl $-1, %eax
        ret
        .popsection
        .size percpu_add_mm_cid, .-percpu_add_mm_cid
        .size counters, counters_end - counters
