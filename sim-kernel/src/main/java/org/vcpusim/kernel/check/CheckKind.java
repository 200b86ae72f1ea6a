package org.vcpusim.kernel.check;

/**
 * The ABI rules the machine's checkers enforce, each with the name findings and statistics use
 * ({@code "<id>: ..."} messages, {@code check.<id>.violations} counters).
 */
public enum CheckKind {
  /** No two running tasks of one mm hold the same concurrency id (kernel.md §3.3 rule 1). */
  CID_UNIQUE("cid_unique"),
  /** Every concurrency id of a running task lies in {@code [0, nr_cpu_ids)} (kernel.md §3.3 rule 2). */
  CID_BOUND("cid_bound"),
  /**
   * After a quiet period, the ids of an allocator that promises compaction lie below {@code
   * min(users, nr_cpus_allowed)} of their mm (kernel.md §2.6 "Bound", §3.3 "optimal space").
   */
  CID_COMPACT("cid_compact"),
  /** The {@code mm_cid} a task reads in its rseq area equals its allocated id. */
  RSEQ_MM_CID("rseq_mm_cid"),
  /** Per-id data: no lost update between CPUs (see {@link PerIdRegionChecker}). */
  PER_ID_REGION("per_id_region"),
  /**
   * Every {@code %gs:} access of a task in the GS mode lies inside its own per-id stride, and no
   * task's own GS setting was silently replaced (see {@link
   * org.vcpusim.kernel.gsmode.GsAccessChecker}, docs/abi.md).
   */
  GS_ACCESS("gs_access");

  private final String id;

  CheckKind(String id) {
    this.id = id;
  }

  /** The kind as findings, statistics and scenario files spell it, e.g. {@code "cid_unique"}. */
  public String id() {
    return id;
  }
}
