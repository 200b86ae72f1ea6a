package org.vcpusim.scenarios.asm;

import java.util.List;
import java.util.Objects;

/**
 * What {@link RoutineRunner} runs: the entry symbol, how many calls, on which CPU profile, which
 * memory to print afterwards, the GS base, and a bound on instructions (against a routine that
 * never returns).
 *
 * @param entry the symbol of the routine to call
 * @param iterations calls of the routine whose effects the process keeps (at least 1)
 * @param profile the CPU profile's name ({@code org.vcpusim.cpu.profile.CpuProfiles})
 * @param dumps memory to print after the run, in order
 * @param gsBase a symbol or an address for the GS base, or null for 0
 * @param maxInstructions instructions all runs together may execute before the runner gives up
 */
public record RoutineOptions(String entry, long iterations, String profile,
    List<DumpRequest> dumps, String gsBase, long maxInstructions) {
  public static final long DEFAULT_ITERATIONS = 1000;
  public static final String DEFAULT_PROFILE = "zen5";
  public static final long DEFAULT_MAX_INSTRUCTIONS = 2_000_000_000L;

  public RoutineOptions {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(profile, "profile");
    dumps = List.copyOf(dumps);
    if (iterations < 1) {
      throw new RoutineInputException("--iterations must be at least 1, got " + iterations);
    }
    if (maxInstructions < 1) {
      throw new RoutineInputException("--max-instructions must be at least 1, got "
          + maxInstructions);
    }
  }

  /** {@code entry} called {@link #DEFAULT_ITERATIONS} times on {@link #DEFAULT_PROFILE}. */
  public static RoutineOptions of(String entry) {
    return new RoutineOptions(entry, DEFAULT_ITERATIONS, DEFAULT_PROFILE, List.of(), null,
        DEFAULT_MAX_INSTRUCTIONS);
  }

  public RoutineOptions withIterations(long n) {
    return new RoutineOptions(entry, n, profile, dumps, gsBase, maxInstructions);
  }

  public RoutineOptions withProfile(String name) {
    return new RoutineOptions(entry, iterations, name, dumps, gsBase, maxInstructions);
  }

  public RoutineOptions withDumps(List<DumpRequest> list) {
    return new RoutineOptions(entry, iterations, profile, list, gsBase, maxInstructions);
  }

  public RoutineOptions withGsBase(String symbolOrAddress) {
    return new RoutineOptions(entry, iterations, profile, dumps, symbolOrAddress, maxInstructions);
  }

  public RoutineOptions withMaxInstructions(long n) {
    return new RoutineOptions(entry, iterations, profile, dumps, gsBase, n);
  }
}
