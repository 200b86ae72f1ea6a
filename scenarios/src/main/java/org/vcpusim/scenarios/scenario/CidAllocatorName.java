package org.vcpusim.scenarios.scenario;

/**
 * A concurrency-id allocator of the kernel model, by the name scenario files, reports and
 * {@code result.json} use; the runner turns it into a factory with {@code
 * org.vcpusim.kernel.cid.CidAllocators.byName(spelling())}.
 *
 * <p>The constant's {@link #spelling()} is its name in a scenario file and in every output.
 */
public enum CidAllocatorName implements Spelled {
  /** {@code cpu}: The id is the CPU number (what {@code cpu_id} indexing sees). */
  CPU("cpu"),
  /**
   * {@code vcpu-2022}: The 2022 series / v6.3: per-mm bitmap, lowest free id, same-mm hand-over
   * (kernel.md §1.2, §2.5).
   */
  VCPU_2022("vcpu-2022"),
  /**
   * {@code mm_cid-6.4}: v6.4–v6.18: per-CPU cached cid, lazy put, migration steal, periodic
   * compaction (kernel.md §2.6).
   */
  MM_CID_6_4("mm_cid-6.4"),
  /** {@code mm_cid-6.19}: v6.19: per-task / per-CPU ownership with hysteresis (kernel.md §3.3). */
  MM_CID_6_19("mm_cid-6.19");

  private final String spelling;

  CidAllocatorName(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String spelling() {
    return spelling;
  }
}
