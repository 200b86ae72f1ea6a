# A librseq-style per-CPU counter increment (librseq rseq_load_add_store__ptr, the shape of
# benchmarks/calibrate/routines/percpu_counter.s): read cpu_id_start, register the critical
# section in rseq_cs, check cpu_id, then the single committing add. Counters are 128-byte
# entries indexed by CPU, as librseq's test_data_entry.
        .text
        .globl  percpu_inc
        .type   percpu_inc, @function
percpu_inc:
        movq    __rseq_offset(%rip), %rdx       # glibc: thread pointer -> struct rseq
1:      movl    %fs:0(%rdx), %esi               # cpu_id_start
        movslq  %esi, %rax
        shlq    $7, %rax
        leaq    counters(%rip), %rcx
        addq    %rcx, %rax                      # &counters[cpu]
        leaq    cs_desc(%rip), %rcx
        movq    %rcx, %fs:8(%rdx)               # rseq_cs = &descriptor
2:      cmpl    %esi, %fs:4(%rdx)               # cpu_id still the same?
        jnz     4f
        addq    $1, (%rax)                      # commit
3:      ret
        .size   percpu_inc, . - percpu_inc

        .pushsection __rseq_failure, "ax"
        .byte   0x0f, 0xb9, 0x3d                # ud1: the signature lives in its displacement
        .long   0x53053053
4:      addq    $1, aborts(%rip)
        jmp     1b
        .popsection

        .pushsection __rseq_cs, "aw"
        .balign 32
cs_desc:
        .long   0, 0
        .quad   2b, 3b - 2b, 4b
        .popsection

        .data
        .balign 8
aborts: .quad   0

        .bss
        .balign 128
        .globl  counters
counters:
        .zero   1024 * 128
