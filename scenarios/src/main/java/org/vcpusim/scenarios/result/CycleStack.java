package org.vcpusim.scenarios.result;

import java.util.List;
import org.vcpusim.kernel.task.CostCategory;

/**
 * Where a variant's simulated cycles went, summed over every CPU of the run: the eight {@link
 * CostCategory} buckets, in {@code result.json}'s {@code cycle_stack} order. User cycles are split
 * by the workload's symbol ranges (fast path, abort-and-restart, slow path); kernel cycles by the
 * machine's charges ({@code Machine.cycles(cpu, category)}); idle is the cycles the CPUs spent in
 * the idle loop.
 *
 * @param fastPath user cycles in the per-id fast path (rseq critical sections or {@code %gs:} ops)
 * @param abortRestart user cycles of work thrown away by aborts plus the abort handlers
 * @param slowPath user cycles in the slow paths (central list under the spinlock, refresh)
 * @param kernelSwitch kernel cycles of context switches
 * @param returnToUser kernel cycles of the exit-to-user work (rseq id fields, fixups)
 * @param gsWrite kernel cycles of GS-base writes (GS-mode population)
 * @param membarrier kernel cycles of membarrier calls and their IPIs
 * @param idle cycles the CPUs were idle
 */
public record CycleStack(long fastPath, long abortRestart, long slowPath, long kernelSwitch,
    long returnToUser, long gsWrite, long membarrier, long idle) {

  /** The {@code result.json} keys, in the order of the components (and of {@link #toArray}). */
  public static final List<String> KEYS = List.of("fast_path", "abort_restart", "slow_path",
      "kernel_switch", "return_to_user", "gs_write", "membarrier", "idle");

  /** A stack of no cycles. */
  public static final CycleStack ZERO = new CycleStack(0, 0, 0, 0, 0, 0, 0, 0);

  /** Rejects negative cycle counts. */
  public CycleStack {
    for (long v : new long[] {fastPath, abortRestart, slowPath, kernelSwitch, returnToUser,
        gsWrite, membarrier, idle}) {
      if (v < 0) {
        throw new IllegalArgumentException("negative cycles in a cycle stack: " + v);
      }
    }
  }

  /** The stack with each category's cycles from {@code cycles} (e.g. summed over the CPUs). */
  public static CycleStack of(java.util.function.ToLongFunction<CostCategory> cycles) {
    return new CycleStack(cycles.applyAsLong(CostCategory.FAST_PATH),
        cycles.applyAsLong(CostCategory.ABORT_RESTART), cycles.applyAsLong(CostCategory.SLOW_PATH),
        cycles.applyAsLong(CostCategory.KERNEL_SWITCH),
        cycles.applyAsLong(CostCategory.RETURN_TO_USER), cycles.applyAsLong(CostCategory.GS_WRITE),
        cycles.applyAsLong(CostCategory.MEMBARRIER), cycles.applyAsLong(CostCategory.IDLE));
  }

  /** The cycles in {@link #KEYS} order. */
  public long[] toArray() {
    return new long[] {fastPath, abortRestart, slowPath, kernelSwitch, returnToUser, gsWrite,
        membarrier, idle};
  }

  /** All cycles of the stack. */
  public long total() {
    long t = 0;
    for (long v : toArray()) {
      t += v;
    }
    return t;
  }

  /** The cycles of the category named {@code key} (one of {@link #KEYS}). */
  public long cycles(String key) {
    int i = KEYS.indexOf(key);
    if (i < 0) {
      throw new IllegalArgumentException("no cycle-stack category " + key);
    }
    return toArray()[i];
  }
}
