package org.vcpusim.scenarios.result;

/**
 * How the host ran the simulation: the one part of {@code result.json} that is not deterministic
 * (wall time and speed differ between runs and machines), so golden and determinism tests leave it
 * out ({@link ResultJsonWriter#toJsonWithoutHost}).
 *
 * @param wallSeconds wall-clock seconds of the run(s)
 * @param simulatedInstructions user and kernel-modelled instructions retired by the simulated CPUs
 * @param events discrete events fired
 * @param mips simulated instructions per wall-clock microsecond (millions per second)
 */
public record HostInfo(double wallSeconds, long simulatedInstructions, long events, double mips) {
  /** Rejects negative values. */
  public HostInfo {
    if (!(wallSeconds >= 0) || simulatedInstructions < 0 || events < 0 || !(mips >= 0)) {
      throw new IllegalArgumentException("host info: wall " + wallSeconds + " s, instructions "
          + simulatedInstructions + ", events " + events + ", mips " + mips);
    }
  }

  /** The host figures of a run of {@code wallSeconds}, MIPS derived (0 for a zero-length run). */
  public static HostInfo of(double wallSeconds, long simulatedInstructions, long events) {
    double mips = wallSeconds > 0 ? simulatedInstructions / wallSeconds / 1e6 : 0;
    return new HostInfo(wallSeconds, simulatedInstructions, events, mips);
  }
}
