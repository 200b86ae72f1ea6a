package org.vcpusim.scenarios.scenario;

/**
 * When the kernel rewrites the rseq id fields ({@code cpu_id_start}, {@code cpu_id}, {@code node_id},
 * {@code mm_cid}) on return to user (kernel.md §3.2, §3.5; userspace.md §1.9).
 *
 * <p>The constant's {@link #spelling()} is its name in a scenario file and in every output.
 */
public enum IdUpdate implements Spelled {
  /**
   * {@code legacy}: On every context switch, before signal delivery and in the membarrier RSEQ IPI
   * (the behaviour TCMalloc's cached slabs rely on; the v1 ABI after fix b9eac6a9d93c).
   */
  LEGACY("legacy"),
  /**
   * {@code on-change}: Only when a value changed (v6.19's optimisation: breaks {@code
   * rseq-cpu-cached}, the 2026 TCMalloc regression).
   */
  ON_CHANGE("on-change");

  private final String spelling;

  IdUpdate(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String spelling() {
    return spelling;
  }
}
