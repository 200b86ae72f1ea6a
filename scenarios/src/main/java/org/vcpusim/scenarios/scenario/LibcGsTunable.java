package org.vcpusim.scenarios.scenario;

/**
 * The libc tunable that keeps GS mode off for a process (kernel.md §6: "another tunable could
 * disable it (e.g. for Wine, which uses GS)").
 *
 * <p>The constant's {@link #spelling()} is its name in a scenario file and in every output.
 */
public enum LibcGsTunable implements Spelled {
  /** {@code allow}: libc enables GS mode when the variant is {@code gs-mm_cid}. */
  ALLOW("allow"),
  /**
   * {@code deny}: The process never enables GS mode; a {@code gs-mm_cid} workload falls back to the
   * rseq fast path.
   */
  DENY("deny");

  private final String spelling;

  LibcGsTunable(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String spelling() {
    return spelling;
  }
}
