package org.vcpusim.kernel.machine;

import java.util.ArrayDeque;
import java.util.function.IntConsumer;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.exec.Core;
import org.vcpusim.cpu.timing.DataflowTimingModel;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.Task;

/**
 * One CPU of a {@link Machine}: its core and timing model, the task it runs, what is pending at its
 * next instruction boundary, and its accounting.
 *
 * <p><b>Local time.</b> A CPU's clock is its timing model's cycle count converted to picoseconds at
 * the profile frequency ({@link Ticks#fromCycles}, rounded up) plus the idle gaps it has spent
 * following global time ({@link #idleOffsetPs}). It is the time of the CPU's next instruction
 * boundary. While the CPU is idle its clock stands at the moment it went idle; it catches up with
 * global time when it is woken or charged ({@link Machine}).
 *
 * <p><b>Caveats:</b> package-private state of one machine; not thread-safe.
 */
final class Cpu {
  /** A scheduler tick is pending (counted in {@link #pendingTicks}). */
  static final int WORK_TICK = 1;
  /** IPI handlers are pending in {@link #ipis}. */
  static final int WORK_IPI = 1 << 1;
  /** need_resched was set: schedule at the next boundary. */
  static final int WORK_RESCHED = 1 << 2;
  /** The current task was switched in and must pass the return-to-user path first. */
  static final int WORK_RETURN = 1 << 3;

  final int id;
  final Core core;
  final DataflowTimingModel timing;
  private final long hz;

  Task current;
  boolean idle = true;
  long idleOffsetPs;
  long idlePs;
  int work;
  int pendingTicks;
  final ArrayDeque<Ipi> ipis = new ArrayDeque<>();
  /** The current task's system call waits for the IPIs it sent; the CPU spins in the kernel. */
  boolean waiting;

  /** Cycles by {@link CostCategory} ordinal; idle cycles are derived from {@link #idlePs}. */
  final long[] cycleStack = new long[CostCategory.values().length];
  long ticks;
  long ipisHandled;
  long switches;

  /** An IPI that reached this CPU: its handler and the task waiting for it (0 for none). */
  record Ipi(IntConsumer handler, int waiter) {}

  Cpu(int id, Core core, DataflowTimingModel timing, long hz) {
    this.id = id;
    this.core = core;
    this.timing = timing;
    this.hz = hz;
  }

  /** The time of this CPU's next instruction boundary, in picoseconds. */
  long localTime() {
    return idleOffsetPs + Ticks.fromCycles(timing.cycle(), hz);
  }

  /** An idle CPU follows global time: the gap up to {@code now} becomes idle time. */
  void idleUntil(long now) {
    long gap = now - localTime();
    if (gap > 0) {
      idleOffsetPs += gap;
      idlePs += gap;
    }
  }
}
