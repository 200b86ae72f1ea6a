# percpu_counter: one per-CPU counter increment in an rseq critical section, shaped like librseq's
# rseq_load_add_store__ptr (compudj/librseq include/rseq/arch/x86/bits.h) as used by its
# counter tests: `cpu = rseq_cpu_start(); ret = rseq_load_add_store__ptr(RSEQ_MO_RELAXED,
# RSEQ_PERCPU_CPU_ID, &data.c[cpu].count, 1, cpu);` retried while it returns -1 (abort).
#
# - rseq area = thread pointer + __rseq_offset (glibc >= 2.35 owns registration; the symbol is
#   glibc's, or the simulator's, never defined here). Fields (struct rseq, include/uapi/linux/
#   rseq.h): cpu_id_start @0, cpu_id @4, rseq_cs @8 (librseq RSEQ_ASM_CPU_ID_OFFSET 4,
#   RSEQ_ASM_CS_OFFSET 8).
# - Counters: one intptr_t per CPU, each entry aligned to 128 bytes (librseq test_data_entry),
#   CPU_SETSIZE (1024) entries, so &c[cpu] = pc_counters + cpu * 128.
# - The critical section is librseq's: store &descriptor into rseq_cs, compare the cpu read
#   before the section with cpu_id (RSEQ_ASM_CBNE_CPU_ID), then the single committing add.
#   rseq_cs is not cleared afterwards: the kernel clears it lazily (kernel/rseq.c rseq_ip_fixup).
# - The abort handler sits in __rseq_failure behind librseq's signature, the bytes of
#   `ud1 0x53053053(%rip),%edi` (RSEQ_SIG 0x53053053), counts the abort in pc_aborts and retries
#   from the cpu_id_start read, as librseq's caller loop does.
# Clobbers rax, rcx, rdx, rsi and flags (all caller-saved in the System V ABI).

        .text
        .globl  percpu_counter
        .type   percpu_counter, @function
percpu_counter:
        movq    __rseq_offset(%rip), %rdx       # rseq_offset (process constant)
.Lpc_retry:
        movl    %fs:0(%rdx), %esi               # cpu = rseq_cpu_start() (cpu_id_start)
        movslq  %esi, %rax
        shlq    $7, %rax                        # 128-byte entries
        leaq    pc_counters(%rip), %rcx
        addq    %rcx, %rax                      # v = &c[cpu].count
        leaq    __rseq_cs_percpu_counter(%rip), %rcx
        movq    %rcx, %fs:8(%rdx)               # RSEQ_ASM_STORE_RSEQ_CS
.Lpc_start:
        cmpl    %esi, %fs:4(%rdx)               # RSEQ_ASM_CBNE_CPU_ID
        jnz     .Lpc_abort
        addq    $1, (%rax)                      # final store: load-add-store commit
.Lpc_post_commit:
        ret
        .size   percpu_counter, . - percpu_counter

        .pushsection __rseq_failure, "ax"
        .byte   0x0f, 0xb9, 0x3d                # ud1 0x53053053(%rip),%edi: RSEQ_SIG before abort_ip
        .long   0x53053053
.Lpc_abort:
        addq    $1, pc_aborts(%rip)
        jmp     .Lpc_retry
        .popsection

        .pushsection __rseq_cs, "aw"
        .balign 32
__rseq_cs_percpu_counter:
        .long   0, 0                            # version, flags
        .quad   .Lpc_start, .Lpc_post_commit - .Lpc_start, .Lpc_abort
        .popsection

        .data
        .balign 8
        .globl  pc_aborts
pc_aborts:
        .quad   0                               # aborts taken (abort handler count)

        .bss
        .balign 128
        .globl  pc_counters
pc_counters:
        .zero   131072                          # 1024 (CPU_SETSIZE) x 128 bytes
