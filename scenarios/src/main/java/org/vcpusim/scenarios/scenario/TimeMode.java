package org.vcpusim.scenarios.scenario;

/**
 * How the machine interleaves its CPUs in simulated time.
 *
 * <p>The constant's {@link #spelling()} is its name in a scenario file and in every output.
 */
public enum TimeMode implements Spelled {
  /**
   * {@code exact}: Every CPU steps in global time order (exact interleaving of shared-memory
   * accesses).
   */
  EXACT("exact"),
  /**
   * {@code quantum}: CPUs run ahead by up to a quantum ({@code machine.quantum_ns}) before the
   * others catch up (faster, coarser).
   */
  QUANTUM("quantum");

  private final String spelling;

  TimeMode(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String spelling() {
    return spelling;
  }
}
