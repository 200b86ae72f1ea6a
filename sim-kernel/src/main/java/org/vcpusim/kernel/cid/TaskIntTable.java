package org.vcpusim.kernel.cid;

import java.util.Arrays;

/**
 * One {@code int} per task, indexed by tid: the per-task fields an allocator keeps where the kernel
 * keeps them in {@code task_struct} ({@code mm_cid}, {@code last_mm_cid}, v6.19 {@code
 * mm_cid.cid}; include/linux/sched.h), held in the allocator because per-task state of a
 * subsystem lives in that subsystem, keyed by tid, not in {@code Task}.
 *
 * <p>Contract: {@link #get} of a tid never {@link #set} (or set to {@link #absent()}) returns the
 * table's {@link #absent()} value, whatever the tid; {@link #set} of any non-negative tid stores
 * the value, growing the table (to at least double its size, so a run of forks costs amortised
 * constant time) with every new slot {@link #absent()}. A table never shrinks: tids are small,
 * dense and handed out in increasing order by the machine.
 *
 * <p><b>Caveats:</b> not thread-safe; a negative tid is an {@link ArrayIndexOutOfBoundsException}.
 */
public final class TaskIntTable {
  /**
   * Slots allocated up front: the tests' and scenarios' machines run a few dozen tasks, so one
   * table of this size usually never grows.
   */
  private static final int INITIAL_TASKS = 64;

  private final int absent;
  private int[] values;

  /** A table in which every task holds {@code absent} (e.g. {@link MmCidAllocator#UNSET}). */
  public TaskIntTable(int absent) {
    this.absent = absent;
    this.values = new int[INITIAL_TASKS];
    Arrays.fill(values, absent);
  }

  /** The value of a task that was never set. */
  public int absent() {
    return absent;
  }

  /** Task {@code tid}'s value, or {@link #absent()} if it was never set. */
  public int get(int tid) {
    return tid < values.length ? values[tid] : absent;
  }

  /** Sets task {@code tid}'s value, growing the table if {@code tid} is beyond it. */
  public void set(int tid, int value) {
    if (tid >= values.length) {
      int old = values.length;
      values = Arrays.copyOf(values, Math.max(tid + 1, old * 2));
      Arrays.fill(values, old, values.length, absent);
    }
    values[tid] = value;
  }

  /** Sets task {@code tid} back to {@link #absent()}. */
  public void clear(int tid) {
    set(tid, absent);
  }
}
