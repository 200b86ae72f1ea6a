package org.vcpusim.scenarios.scenario;

/**
 * How the threads of a process group are placed on the CPUs of their mask.
 *
 * <p>The constant's {@link #spelling()} is its name in a scenario file and in every output.
 */
public enum Pin implements Spelled {
  /** {@code none}: Every thread may run on any CPU of its mask; the scheduler places it. */
  NONE("none"),
  /**
   * {@code spread}: Thread {@code i} is pinned to the {@code (i mod w)}-th CPU of its mask of
   * weight {@code w}.
   */
  SPREAD("spread");

  private final String spelling;

  Pin(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String spelling() {
    return spelling;
  }
}
