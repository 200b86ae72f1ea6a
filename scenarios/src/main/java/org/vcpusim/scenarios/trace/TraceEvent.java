package org.vcpusim.scenarios.trace;

import java.util.List;
import java.util.Objects;

/**
 * One recorded trace event: a task's run on a CPU ({@link Type#RUN}, a Chrome "X" complete event)
 * or an instant marker on a CPU (rseq abort, cid change, GS-base write; "i" events).
 *
 * @param type what it is
 * @param cpu the CPU (the trace's thread id)
 * @param tid the task, or -1
 * @param name the label Perfetto shows (for a run: {@code tid N (process)})
 * @param start simulated start time in picoseconds
 * @param end end time in picoseconds ({@code == start} for instants)
 * @param args extra key/value pairs, alternating key then value, shown in Perfetto's details
 */
public record TraceEvent(Type type, int cpu, int tid, String name, long start, long end,
    List<String> args) {

  /** Kinds of events, with the trace category each is filed under. */
  public enum Type {
    /** A task ran on the CPU from start to end. */
    RUN("sched"),
    /** An rseq critical section was aborted. */
    RSEQ_ABORT("rseq"),
    /** A task was switched in with a different cid. */
    CID_CHANGE("cid"),
    /** The kernel wrote a task's GS base. */
    GS_WRITE("gs");

    private final String category;

    Type(String category) {
      this.category = category;
    }

    /** The Chrome trace {@code cat} field. */
    public String category() {
      return category;
    }
  }

  /** Validates and copies. */
  public TraceEvent {
    Objects.requireNonNull(type);
    Objects.requireNonNull(name);
    args = List.copyOf(args);
    if (end < start || args.size() % 2 != 0) {
      throw new IllegalArgumentException("trace event " + name + " [" + start + ", " + end
          + "] args " + args);
    }
  }
}
