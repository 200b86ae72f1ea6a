package org.vcpusim.scenarios.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vcpusim.kernel.sched.SchedObserver;
import org.vcpusim.kernel.sched.SchedTask;
import org.vcpusim.kernel.sched.SwitchReason;
import org.vcpusim.kernel.task.KernelEventListener;
import org.vcpusim.kernel.task.Task;

/**
 * The recent schedule of every CPU, kept so that a violation can be shown with the events that led
 * to it (issue 6: "each violation with a short excerpt of the schedule that led to it"). Each CPU
 * has a ring of its last {@link #EVENTS_PER_CPU} events: switch-ins and switch-outs with their
 * reason, going idle, migrations to or from it, rseq aborts, concurrency-id changes and kernel GS
 * writes. {@link #excerpt} formats a CPU's ring, oldest first, at the moment it is called, which
 * is why the runner calls it when a finding is added rather than at the end of the run.
 *
 * <p><b>Caveats:</b> not thread-safe; events are stored as primitives and formatted only for an
 * excerpt, so an idle log costs a few array stores per scheduling event.
 */
public final class ScheduleLog implements SchedObserver, KernelEventListener {
  /** Events kept per CPU: enough to show the last few switches around a violation. */
  public static final int EVENTS_PER_CPU = 12;

  private static final int SWITCH_IN = 0;
  private static final int SWITCH_OUT = 1;
  private static final int IDLE = 2;
  private static final int MIGRATE_IN = 3;
  private static final int MIGRATE_OUT = 4;
  private static final int RSEQ_ABORT = 5;
  private static final int CID_CHANGE = 6;
  private static final int GS_WRITE = 7;

  private final long[][] ticks;
  private final int[][] kinds;
  private final int[][] tids;
  private final long[][] args;
  private final String[][] notes;
  private final int[] next;
  private final int[] size;

  public ScheduleLog(int cpus) {
    ticks = new long[cpus][EVENTS_PER_CPU];
    kinds = new int[cpus][EVENTS_PER_CPU];
    tids = new int[cpus][EVENTS_PER_CPU];
    args = new long[cpus][EVENTS_PER_CPU];
    notes = new String[cpus][EVENTS_PER_CPU];
    next = new int[cpus];
    size = new int[cpus];
  }

  private void add(int cpu, long tick, int kind, int tid, long arg, String note) {
    if (cpu < 0 || cpu >= next.length) {
      return;
    }
    int i = next[cpu];
    ticks[cpu][i] = tick;
    kinds[cpu][i] = kind;
    tids[cpu][i] = tid;
    args[cpu][i] = arg;
    notes[cpu][i] = note;
    next[cpu] = (i + 1) % EVENTS_PER_CPU;
    size[cpu] = Math.min(size[cpu] + 1, EVENTS_PER_CPU);
  }

  @Override
  public void switchOut(int cpu, SchedTask prev, SwitchReason reason, long now) {
    add(cpu, now, SWITCH_OUT, prev.id(), 0, reason.name().toLowerCase(Locale.ROOT));
  }

  @Override
  public void switchIn(int cpu, SchedTask next, long now) {
    add(cpu, now, SWITCH_IN, next.id(), 0, null);
  }

  @Override
  public void idle(int cpu, long now) {
    add(cpu, now, IDLE, 0, 0, null);
  }

  @Override
  public void migrated(SchedTask task, int fromCpu, int toCpu, long now) {
    add(fromCpu, now, MIGRATE_OUT, task.id(), toCpu, null);
    add(toCpu, now, MIGRATE_IN, task.id(), fromCpu, null);
  }

  @Override
  public void rseqAbort(long tick, int cpu, Task task, String cause, long ip, long abortIp) {
    add(cpu, tick, RSEQ_ABORT, task.tid(), ip, cause);
  }

  @Override
  public void cidChanged(long tick, int cpu, Task task, int oldCid, int newCid) {
    add(cpu, tick, CID_CHANGE, task.tid(), ((long) oldCid << 32) | (newCid & 0xffffffffL), null);
  }

  @Override
  public void gsBaseWritten(long tick, int cpu, Task task, long oldBase, long newBase, long cycles,
      String kind) {
    add(cpu, tick, GS_WRITE, task.tid(), newBase, kind);
  }

  /** The events of {@code cpu} (oldest first), one line each, times in nanoseconds; empty if none. */
  public List<String> excerpt(int cpu) {
    List<String> lines = new ArrayList<>();
    if (cpu < 0 || cpu >= next.length) {
      return lines;
    }
    int n = size[cpu];
    int start = (next[cpu] - n + EVENTS_PER_CPU) % EVENTS_PER_CPU;
    for (int k = 0; k < n; k++) {
      int i = (start + k) % EVENTS_PER_CPU;
      lines.add(format(cpu, i));
    }
    return lines;
  }

  private String format(int cpu, int i) {
    String t = String.format(Locale.ROOT, "%12.3f us  cpu %d  ", ticks[cpu][i] / 1e6, cpu);
    int tid = tids[cpu][i];
    long arg = args[cpu][i];
    String note = notes[cpu][i];
    switch (kinds[cpu][i]) {
      case SWITCH_IN:
        return t + "switch in  task " + tid;
      case SWITCH_OUT:
        return t + "switch out task " + tid + " (" + note + ")";
      case IDLE:
        return t + "idle";
      case MIGRATE_IN:
        return t + "task " + tid + " migrated here from cpu " + arg;
      case MIGRATE_OUT:
        return t + "task " + tid + " migrated to cpu " + arg;
      case RSEQ_ABORT:
        return t + String.format(Locale.ROOT, "task %d rseq abort (%s) at ip %#x", tid, note, arg);
      case CID_CHANGE:
        return t + "task " + tid + " cid " + (int) (arg >> 32) + " -> " + (int) arg;
      case GS_WRITE:
        return t + String.format(Locale.ROOT, "task %d GS base := %#x (%s)", tid, arg, note);
      default:
        throw new IllegalStateException("unknown event kind " + kinds[cpu][i]);
    }
  }
}
