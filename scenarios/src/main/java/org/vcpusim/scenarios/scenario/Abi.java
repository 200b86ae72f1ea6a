package org.vcpusim.scenarios.scenario;

/**
 * An ABI variant: how a workload's fast path finds its per-id data, and what the kernel writes on
 * return to user for it (DESIGN.md, "The ABI variants a report compares"; userspace.md §6 has the
 * Pop fast path of each, instruction by instruction).
 *
 * <p>The constant's {@link #spelling()} is its name in a scenario file and in every output.
 */
public enum Abi implements Spelled {
  /**
   * {@code rseq-cpu}: {@code __rseq_offset} → {@code %fs:cpu_id} → {@code slabs + (id << shift)}
   * (TCMalloc before 2023, librseq {@code RSEQ_PERCPU_CPU_ID}).
   */
  RSEQ_CPU("rseq-cpu"),
  /**
   * {@code rseq-mm_cid}: The same through the {@code mm_cid} field (librseq {@code
   * RSEQ_PERCPU_MM_CID}, TCMalloc's virtual-CPU mode).
   */
  RSEQ_MM_CID("rseq-mm_cid"),
  /**
   * {@code rseq-cpu-cached}: The slab address cached in TLS over {@code cpu_id_start}, valid until
   * the kernel rewrites that field (TCMalloc since 2023, {@code tcmalloc/internal/percpu.h};
   * kernel.md §3.5).
   */
  RSEQ_CPU_CACHED("rseq-cpu-cached"),
  /**
   * {@code gs-mm_cid}: {@code %gs:offset} directly: the kernel loads the GS base with {@code origin
   * + stride * mm_cid} (the 2022 GS-mode proposal, kernel.md §6).
   */
  GS_MM_CID("gs-mm_cid");

  private final String spelling;

  Abi(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String spelling() {
    return spelling;
  }
}
