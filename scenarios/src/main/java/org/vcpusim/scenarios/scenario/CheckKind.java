package org.vcpusim.scenarios.scenario;

/**
 * A kind of correctness check whose violations a run reports; {@code checks.disabled} turns kinds
 * off and {@code checks.fail_on} picks the kinds that make a variant fail.
 *
 * <p>The constant's {@link #spelling()} is its name in a scenario file and in every output.
 */
public enum CheckKind implements Spelled {
  /** {@code cid_unique}: No two running threads of one mm share a cid (kernel.md §8 decision 1). */
  CID_UNIQUE("cid_unique"),
  /**
   * {@code cid_bound}: A cid is below its bound (possible CPUs; {@code min(users, cpus allowed)}
   * for compact allocators).
   */
  CID_BOUND("cid_bound"),
  /**
   * {@code cid_compact}: The allocator keeps the cid high-water mark within its compactness bound
   * (kernel.md §8 decision 6).
   */
  CID_COMPACT("cid_compact"),
  /**
   * {@code rseq_mm_cid}: The {@code mm_cid} field a thread sees in its rseq area equals the
   * kernel's cid.
   */
  RSEQ_MM_CID("rseq_mm_cid"),
  /**
   * {@code per_id_region}: No per-id region is touched by two CPUs at overlapping times outside a
   * committed critical section.
   */
  PER_ID_REGION("per_id_region"),
  /**
   * {@code gs_access}: Every {@code %gs:} access of a per-id fast path lands inside the current
   * id's stride.
   */
  GS_ACCESS("gs_access"),
  /**
   * {@code object_conservation}: No object handed out twice while held; at the end every object is
   * in a slab, the central list or a thread's hands.
   */
  OBJECT_CONSERVATION("object_conservation"),
  /**
   * {@code counter_sum}: Counter workloads: the per-id counters sum to the number of increments.
   */
  COUNTER_SUM("counter_sum"),
  /**
   * {@code fatal_signal}: A process was killed by a signal (for example SIGSEGV from a {@code %gs:}
   * access to the NULL guard range). Can be left out of {@code fail_on} but not disabled.
   */
  FATAL_SIGNAL("fatal_signal");

  private final String spelling;

  CheckKind(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String spelling() {
    return spelling;
  }
}
