package org.vcpusim.scenarios.workload;

/**
 * A check that failed (the {@code violations} entries of result.json): {@code kind} is the check
 * ({@code object_conservation}, {@code counter_sum}, {@code workload_setup}), {@code tick} the
 * simulated time in ps, {@code cpu} and {@code task} (tid) where known, else -1.
 */
public record Violation(String kind, long tick, int cpu, int task, String message) {
  public static final String OBJECT_CONSERVATION = "object_conservation";
  public static final String COUNTER_SUM = "counter_sum";
  public static final String WORKLOAD_SETUP = "workload_setup";
}
