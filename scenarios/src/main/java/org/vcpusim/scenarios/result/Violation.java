package org.vcpusim.scenarios.result;

import java.util.List;
import java.util.Objects;

/**
 * A check that failed during or after a run: a kernel {@code Finding} or a workload check
 * (object conservation, counter sums), in {@code result.json}'s {@code violations} shape.
 *
 * <p>{@link #excerpt} is report-only (not in {@code result.json}): the last scheduling events on
 * the violation's CPU up to its tick, one line each, as the trace recorder renders them ({@code
 * org.vcpusim.scenarios.trace.ScheduleRecorder#excerpt}); empty when none was recorded.
 *
 * @param kind the check's name (e.g. {@code cid_unique}, {@code object_conservation})
 * @param tick simulated time in picoseconds
 * @param cpu the CPU it was seen on, or -1 for an end-of-run check
 * @param task the tid involved, or -1 for none
 * @param message what was seen, for people
 * @param excerpt schedule lines leading to it, oldest first (report only)
 */
public record Violation(String kind, long tick, int cpu, int task, String message,
    List<String> excerpt) {

  /** Validates and copies. */
  public Violation {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    excerpt = List.copyOf(excerpt);
    if (kind.isEmpty()) {
      throw new IllegalArgumentException("a violation needs a kind");
    }
    if (tick < 0 || cpu < -1 || task < -1) {
      throw new IllegalArgumentException(
          "violation " + kind + ": tick " + tick + ", cpu " + cpu + ", task " + task);
    }
  }

  /** A violation without a schedule excerpt. */
  public Violation(String kind, long tick, int cpu, int task, String message) {
    this(kind, tick, cpu, task, message, List.of());
  }

  /** This violation with {@code lines} as its excerpt. */
  public Violation withExcerpt(List<String> lines) {
    return new Violation(kind, tick, cpu, task, message, lines);
  }
}
