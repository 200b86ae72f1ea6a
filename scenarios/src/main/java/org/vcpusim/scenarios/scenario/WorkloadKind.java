package org.vcpusim.scenarios.scenario;

/**
 * The per-id operation a workload's threads repeat (userspace.md §1, §2; param_test, kernel.md §4.1).
 *
 * <p>The constant's {@link #spelling()} is its name in a scenario file and in every output.
 */
public enum WorkloadKind implements Spelled {
  /**
   * {@code slab}: TCMalloc-style per-id slab Pop (alloc) and Push (free) with a central free list
   * behind a spinlock (also param_test's {@code b} buffer test: one size class).
   */
  SLAB("slab"),
  /**
   * {@code counter}: param_test's {@code i} test: an rseq load-add-store on the id's counter; the
   * sum must be exact.
   */
  COUNTER("counter"),
  /**
   * {@code list}: param_test's {@code l} test: pop a node from the id's list and push it back; node
   * values are conserved.
   */
  LIST("list"),
  /**
   * {@code spinlock}: param_test's {@code s} test: take the id's lock with an rseq
   * compare-and-store, count under it, release.
   */
  SPINLOCK("spinlock");

  private final String spelling;

  WorkloadKind(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String spelling() {
    return spelling;
  }
}
