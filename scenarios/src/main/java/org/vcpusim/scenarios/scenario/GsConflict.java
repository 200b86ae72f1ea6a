package org.vcpusim.scenarios.scenario;

/**
 * What the kernel does when a process in GS mode asks for {@code arch_prctl(ARCH_SET_GS)} (the
 * hazard of a library that owns GS, kernel.md §8 decision 9).
 *
 * <p>The constant's {@link #spelling()} is its name in a scenario file and in every output.
 */
public enum GsConflict implements Spelled {
  /** {@code ebusy}: {@code ARCH_SET_GS} fails with {@code EBUSY} while the mode is on. */
  EBUSY("ebusy"),
  /**
   * {@code overwrite}: {@code ARCH_SET_GS} succeeds; the kernel re-asserts the GS base only at its
   * next update point, so per-id accesses between the two hit the library's data.
   */
  OVERWRITE("overwrite");

  private final String spelling;

  GsConflict(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String spelling() {
    return spelling;
  }
}
