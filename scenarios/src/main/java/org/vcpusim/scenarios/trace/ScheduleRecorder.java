package org.vcpusim.scenarios.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.vcpusim.kernel.machine.Finding;
import org.vcpusim.kernel.machine.Machine;
import org.vcpusim.kernel.sched.SchedObserver;
import org.vcpusim.kernel.sched.SchedTask;
import org.vcpusim.kernel.sched.SwitchReason;
import org.vcpusim.kernel.task.KernelEventListener;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.scenarios.result.Decimals;

/**
 * Records a machine's schedule for {@code trace.json} and for the report's violation excerpts: it
 * is a {@link SchedObserver} (which task runs on which CPU, from the kernel's {@code sched_switch}
 * split into switch-out and switch-in, plus wake-ups and migrations) and a {@link
 * KernelEventListener} (rseq aborts, cid changes, GS-base writes), so {@link #attach} fits it to
 * any {@link Machine}.
 *
 * <p>Two bounded stores:
 * <ul>
 *   <li>trace events ({@link #events}): runs (a task's time on a CPU, closed at its switch-out or
 *       by {@link #finish}) and instant markers, at most {@code maxEvents}; once full, later events
 *       are counted ({@link #droppedEvents}) but not kept, and {@link #truncatedAt} says from when;
 *   <li>per CPU, the last {@value #EXCERPT_LINES} schedule lines (switches, idle, wake-ups,
 *       migrations and the kernel events), always kept. When the machine records a {@link
 *       Finding} on a CPU, that CPU's lines up to the finding's tick are frozen as its excerpt
 *       (checked at the next event and at {@link #finish}), so {@link #excerpt} gives the schedule
 *       that led to it even if the run went on for long after.
 * </ul>
 *
 * <p><b>Caveats:</b> not thread-safe; callbacks run inside the machine loop. Call {@link #finish}
 * once the run is over, before reading {@link #events}, or the tasks still running have no run
 * event. Lines and labels are built eagerly (strings), which is why the stores are bounded.
 */
public final class ScheduleRecorder implements SchedObserver, KernelEventListener {
  /**
   * Schedule lines kept per CPU for an excerpt: a dozen events cover the last few switches, the
   * migration or wake-up that preceded them and the kernel events between, which is what a
   * reader needs to see how a task reached the state a check complained about.
   */
  public static final int EXCERPT_LINES = 12;

  /**
   * Default cap of trace events: about 200 bytes each in memory and in {@code trace.json}, so at
   * most ~40 MB of each — a size ui.perfetto.dev loads in seconds.
   */
  public static final int DEFAULT_MAX_EVENTS = 200_000;

  /** Picoseconds per microsecond, for the excerpt's time stamps. */
  private static final double PS_PER_US = 1e6;

  /** Decimals of an excerpt's µs time stamps: nanoseconds. */
  private static final int US_DECIMALS = 3;

  private record Line(long tick, String text) {}

  private record FindingKey(int cpu, long tick) {}

  /** The task running on a CPU since {@code start}. */
  private record Open(int tid, String name, long start) {}

  private final int maxEvents;
  private final IntFunction<String> processName;
  private final Supplier<List<Finding>> findings;
  private final List<TraceEvent> events = new ArrayList<>();
  private final Map<Integer, Open> running = new TreeMap<>();
  private final Map<Integer, ArrayDeque<Line>> recent = new TreeMap<>();
  private final Map<FindingKey, List<String>> frozen = new TreeMap<>(
      Comparator.comparingInt(FindingKey::cpu).thenComparingLong(FindingKey::tick));
  private int findingsSeen;
  private long dropped;
  private long truncatedAt = -1;
  private int maxCpu = -1;
  private long lastTick;

  /**
   * A recorder not yet attached.
   *
   * @param maxEvents trace events kept, at least 1
   * @param processName the name of process {@code pid} (for labels), or null if unknown
   * @param findings the machine's findings so far (for excerpt snapshots); may return an empty
   *     list
   */
  public ScheduleRecorder(int maxEvents, IntFunction<String> processName,
      Supplier<List<Finding>> findings) {
    if (maxEvents < 1) {
      throw new IllegalArgumentException("maxEvents " + maxEvents);
    }
    this.maxEvents = maxEvents;
    this.processName = Objects.requireNonNull(processName);
    this.findings = Objects.requireNonNull(findings);
  }

  /** A recorder of {@code machine}'s schedule, attached as observer and listener. */
  public static ScheduleRecorder attach(Machine machine, int maxEvents) {
    ScheduleRecorder r = new ScheduleRecorder(maxEvents, pid -> {
      Process p = machine.process(pid);
      return p == null ? null : p.name();
    }, machine::findings);
    machine.addSchedObserver(r);
    machine.addKernelEventListener(r);
    return r;
  }

  // ================================================================================ SchedObserver

  @Override
  public void switchOut(int cpu, SchedTask prev, SwitchReason reason, long now) {
    see(cpu, now);
    Open o = running.remove(cpu);
    String who = label(prev.id(), prev.processId());
    line(cpu, now, "out  " + who + ": " + reason.name().toLowerCase(Locale.ROOT));
    if (o != null && o.tid() == prev.id()) {
      add(new TraceEvent(TraceEvent.Type.RUN, cpu, o.tid(), o.name(), o.start(), now,
          List.of("tid", Integer.toString(o.tid()), "end", reason.name().toLowerCase(Locale.ROOT))));
    }
  }

  @Override
  public void switchIn(int cpu, SchedTask next, long now) {
    see(cpu, now);
    String who = label(next.id(), next.processId());
    running.put(cpu, new Open(next.id(), who, now));
    line(cpu, now, "run  " + who);
  }

  @Override
  public void idle(int cpu, long now) {
    see(cpu, now);
    line(cpu, now, "idle");
  }

  @Override
  public void wakeup(SchedTask task, int cpu, long now) {
    see(cpu, now);
    line(cpu, now, "wake " + label(task.id(), task.processId()));
  }

  @Override
  public void wakeupNew(SchedTask task, int cpu, long now) {
    see(cpu, now);
    line(cpu, now, "new  " + label(task.id(), task.processId()));
  }

  @Override
  public void migrated(SchedTask task, int fromCpu, int toCpu, long now) {
    see(Math.max(fromCpu, toCpu), now);
    String text = "migrate " + label(task.id(), task.processId()) + " cpu " + fromCpu + " -> "
        + toCpu;
    line(fromCpu, now, text);
    line(toCpu, now, text);
  }

  // ========================================================================= KernelEventListener

  @Override
  public void rseqAbort(long tick, int cpu, Task task, String cause, long ip, long abortIp) {
    see(cpu, tick);
    String who = label(task);
    line(cpu, tick, "rseq abort " + who + " (" + cause + ") ip " + hex(ip) + " -> " + hex(abortIp));
    add(new TraceEvent(TraceEvent.Type.RSEQ_ABORT, cpu, task.tid(), "rseq abort (" + cause + ")",
        tick, tick, List.of("task", who, "cause", cause, "ip", hex(ip), "abort_ip", hex(abortIp))));
  }

  @Override
  public void cidChanged(long tick, int cpu, Task task, int oldCid, int newCid) {
    see(cpu, tick);
    String who = label(task);
    line(cpu, tick, "cid  " + who + " " + oldCid + " -> " + newCid);
    add(new TraceEvent(TraceEvent.Type.CID_CHANGE, cpu, task.tid(),
        "cid " + oldCid + " -> " + newCid, tick, tick,
        List.of("task", who, "old", Integer.toString(oldCid), "new", Integer.toString(newCid))));
  }

  @Override
  public void gsBaseWritten(long tick, int cpu, Task task, long oldBase, long newBase, long cycles,
      String kind) {
    see(cpu, tick);
    String who = label(task);
    line(cpu, tick, "GS   " + who + " " + hex(oldBase) + " -> " + hex(newBase) + " (" + kind
        + ", " + cycles + " cycles)");
    add(new TraceEvent(TraceEvent.Type.GS_WRITE, cpu, task.tid(), "GS write (" + kind + ")", tick,
        tick, List.of("task", who, "old", hex(oldBase), "new", hex(newBase), "cycles",
            Long.toString(cycles))));
  }

  // ====================================================================================== results

  /**
   * Ends the recording at {@code now}: the tasks still running get a run event up to {@code now}
   * (if there is room), and findings not yet snapshotted are. Idempotent for the runs.
   */
  public void finish(long now) {
    syncFindings();
    lastTick = Math.max(lastTick, now);
    for (int cpu = 0; cpu <= maxCpu; cpu++) {
      Open o = running.remove(cpu);
      if (o != null) {
        add(new TraceEvent(TraceEvent.Type.RUN, cpu, o.tid(), o.name(), o.start(),
            Math.max(o.start(), now), List.of("tid", Integer.toString(o.tid()), "end", "running")));
      }
    }
  }

  /** The kept trace events in the order they were recorded (runs at their end). */
  public List<TraceEvent> events() {
    return Collections.unmodifiableList(events);
  }

  /** The highest CPU number seen, or -1 before any event. */
  public int maxCpu() {
    return maxCpu;
  }

  /** Events not kept because the cap was reached. */
  public long droppedEvents() {
    return dropped;
  }

  /** The simulated time the cap was reached (first event not kept), or -1 if none was dropped. */
  public long truncatedAt() {
    return truncatedAt;
  }

  /** The cap given at construction. */
  public int maxEvents() {
    return maxEvents;
  }

  /**
   * The schedule lines of {@code cpu} up to {@code tick}, oldest first: the snapshot frozen when
   * a machine finding of that CPU and tick appeared, else the CPU's latest lines at or before
   * {@code tick} (right for end-of-run checks). Empty for {@code cpu < 0} or a CPU never seen.
   */
  public List<String> excerpt(int cpu, long tick) {
    List<String> f = frozen.get(new FindingKey(cpu, tick));
    if (f != null) {
      return f;
    }
    return upTo(cpu, tick);
  }

  // ===================================================================================== internal

  private void see(int cpu, long now) {
    syncFindings();
    maxCpu = Math.max(maxCpu, cpu);
    lastTick = Math.max(lastTick, now);
  }

  /** Freezes the excerpt of every finding added since the last look. */
  private void syncFindings() {
    List<Finding> all = findings.get();
    for (; findingsSeen < all.size(); findingsSeen++) {
      Finding f = all.get(findingsSeen);
      if (f.cpu() >= 0) {
        frozen.putIfAbsent(new FindingKey(f.cpu(), f.tick()), upTo(f.cpu(), f.tick()));
      }
    }
  }

  private List<String> upTo(int cpu, long tick) {
    ArrayDeque<Line> lines = recent.get(cpu);
    if (cpu < 0 || lines == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(lines.size());
    for (Line l : lines) {
      if (l.tick() <= tick) {
        out.add(Decimals.fixed(l.tick() / PS_PER_US, US_DECIMALS) + " us  cpu " + cpu + "  "
            + l.text());
      }
    }
    return List.copyOf(out);
  }

  private void line(int cpu, long tick, String text) {
    if (cpu < 0) {
      return;
    }
    ArrayDeque<Line> lines = recent.computeIfAbsent(cpu, c -> new ArrayDeque<>(EXCERPT_LINES));
    if (lines.size() == EXCERPT_LINES) {
      lines.removeFirst();
    }
    lines.addLast(new Line(tick, text));
  }

  private void add(TraceEvent e) {
    if (events.size() < maxEvents) {
      events.add(e);
    } else {
      if (dropped == 0) {
        truncatedAt = lastTick;
      }
      dropped++;
    }
  }

  private String label(int tid, int pid) {
    String name = processName.apply(pid);
    return "tid " + tid + " (" + (name == null ? "pid " + pid : name) + ")";
  }

  private static String label(Task task) {
    return "tid " + task.tid() + " (" + task.process().name() + ")";
  }

  private static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }
}
