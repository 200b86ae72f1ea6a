package org.vcpusim.kernel.machine;

import java.util.Locale;
import java.util.Objects;

/**
 * Something a run found that a report must show: a process killed by a fatal signal (a fault in
 * simulated code is one), or a violated invariant reported by a checker. A finding is a result,
 * never an exception: the run goes on.
 *
 * @param kind what sort of finding
 * @param tick simulated time in picoseconds
 * @param cpu the CPU it happened on, or -1
 * @param tid the task involved, or -1
 * @param message what happened, naming the signal, trap, address or rule
 */
public record Finding(Kind kind, long tick, int cpu, int tid, String message) {
  /** Sorts of findings. */
  public enum Kind {
    /** A process was killed by a signal whose default action is to terminate it. */
    FATAL_SIGNAL,
    /** A checker saw an invariant broken. */
    CHECK_VIOLATION
  }

  public Finding {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(message);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s at %d ps on cpu %d, task %d: %s", kind, tick, cpu, tid,
        message);
  }
}
