# An rseq critical section laid out the way librseq's macros expand it (include/rseq/arch/x86.h):
# a 32-byte descriptor in __rseq_cs, a pointer to it in __rseq_cs_ptr_array, and the abort handler
# in __rseq_failure right after the 4-byte signature, written as ud1 0x53053053(%rip),%edi bytes.
        .set RSEQ_CS_OFFSET, 8          /* struct rseq_abi.rseq_cs */
        .set RSEQ_CPU_ID_OFFSET, 4      // struct rseq_abi.cpu_id
        .set RSEQ_SIG, 0x53053053

        .text
        .globl percpu_store
        .type percpu_store, @function
percpu_store:                           # %rdi = rseq_offset, %esi = cpu, %rdx = value, %rcx = slot
        .pushsection __rseq_cs, "aw"
        .balign 32
3:      .long 0, 0
        .quad 1f, 2f - 1f, 4f
        .popsection
        .pushsection __rseq_cs_ptr_array, "aw"
        .quad 3b
        .popsection
        leaq 3b(%rip), %rax
        movq %rax, %fs:RSEQ_CS_OFFSET(%rdi)
1:      cmpl %esi, %fs:RSEQ_CPU_ID_OFFSET(%rdi)
        jnz 4f
        movq %rdx, (%rcx)
2:      xorl %eax, %eax
        ret
        .pushsection __rseq_failure, "ax"
        .byte 0x0f, 0xb9, 0x3d
        .long RSEQ_SIG
4:      movl $-1, %eax
        ret
        .popsection
        .size percpu_store, .-percpu_store

        .globl percpu_store_twice      # a second section in the same file reuses labels 1..4
percpu_store_twice:
        .pushsection __rseq_cs, "aw"
        .balign 32
3:      .long 0x0
        .long 0x0
        .quad 1f
        .quad (2f - 1f)
        .quad 4f
        .popsection
        leaq 3b(%rip), %rax ; movq %rax, %fs:RSEQ_CS_OFFSET(%rdi)
1:      cmpl %esi, %fs:RSEQ_CPU_ID_OFFSET(%rdi); jnz 4f
        movq %rdx, (%rcx)
        movq %rdx, 8(%rcx)
2:      xorl %eax, %eax
        ret
        .pushsection __rseq_failure, "ax"
        .byte 0x0f, 0xb9, 0x3d
        .long RSEQ_SIG
4:      movl $-1, %eax
        ret
        .popsection
        .size percpu_store_twice, . - percpu_store_twice
