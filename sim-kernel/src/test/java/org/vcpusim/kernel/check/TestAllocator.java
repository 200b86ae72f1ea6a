package org.vcpusim.kernel.check;

import java.util.BitSet;
import java.util.TreeMap;
import org.vcpusim.kernel.cid.MmCidAllocator;
import org.vcpusim.kernel.cid.TaskIntTable;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * Concurrency-id policies for the checker tests, one correct and three broken on purpose.
 *
 * <p><b>Caveats:</b> test scaffolding.
 */
final class TestAllocator implements MmCidAllocator {
  enum Mode {
    /** Lowest id free among the mm's running tasks: unique, bounded and compact. */
    LOWEST_FREE,
    /**
     * The next free id in {@code [0, nr_cpu_ids)} after the one handed out last, round robin:
     * unique and bounded, and a task's id changes at almost every switch-in.
     */
    ROTATING,
    /** Every task holds id 0: breaks uniqueness. */
    CONSTANT_ZERO,
    /** Every task holds id nr_cpu_ids: breaks the bound. */
    BEYOND_BOUND,
    /** A task keeps the index it was forked with, never reused: promises compaction, never does. */
    FORK_ORDER
  }

  private final Mode mode;
  private final KernelServices kernel;
  private final TaskIntTable cids = new TaskIntTable(UNSET);
  private final TreeMap<Integer, Integer> nextIndex = new TreeMap<>();
  private final TreeMap<Integer, BitSet> inUse = new TreeMap<>();
  private int cursor;

  private TestAllocator(Mode mode, KernelServices kernel) {
    this.mode = mode;
    this.kernel = kernel;
  }

  static MmCidAllocator.Factory factory(Mode mode) {
    return (kernel, scheduler) -> new TestAllocator(mode, kernel);
  }

  @Override
  public String name() {
    return "test-" + mode.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public int compactLimit(int pid, int users, int nrCpusAllowed) {
    return mode == Mode.LOWEST_FREE || mode == Mode.FORK_ORDER
        ? Math.min(users, nrCpusAllowed) : NO_COMPACT_LIMIT;
  }

  @Override
  public void mmInit(Process mm, long now) {
    inUse.put(mm.pid(), new BitSet());
    nextIndex.put(mm.pid(), 0);
  }

  @Override
  public void mmRelease(Process mm, long now) {}

  @Override
  public void fork(Task child, long now) {
    if (mode == Mode.FORK_ORDER) {
      int pid = child.process().pid();
      int index = nextIndex.merge(pid, 1, Integer::sum) - 1;
      cids.set(child.tid(), index);
    }
  }

  @Override
  public void exit(Task task, long now) {}

  @Override
  public void beforeExec(Task task, int cpu, long now) {}

  @Override
  public void afterExec(Task task, int cpu, long now) {}

  @Override
  public void switchOut(int cpu, Task prev, long now) {
    if (mode == Mode.LOWEST_FREE || mode == Mode.ROTATING) {
      int cid = cids.get(prev.tid());
      cids.clear(prev.tid());
      if (cid != UNSET) {
        inUse.get(prev.process().pid()).clear(cid);
      }
    }
  }

  @Override
  public void switchIn(int cpu, Task next, long now) {
    switch (mode) {
      case LOWEST_FREE -> {
        BitSet used = inUse.get(next.process().pid());
        int cid = used.nextClearBit(0);
        used.set(cid);
        cids.set(next.tid(), cid);
      }
      case ROTATING -> {
        BitSet used = inUse.get(next.process().pid());
        int n = kernel.nrCpuIds();
        int cid = used.nextClearBit((cursor + 1) % n);
        if (cid >= n) {
          cid = used.nextClearBit(0);
        }
        cursor = cid;
        used.set(cid);
        cids.set(next.tid(), cid);
      }
      case CONSTANT_ZERO -> cids.set(next.tid(), 0);
      case BEYOND_BOUND -> cids.set(next.tid(), kernel.nrCpuIds());
      case FORK_ORDER -> { }
      default -> throw new IllegalStateException(mode.name());
    }
  }

  @Override
  public void migrated(Task task, int fromCpu, int toCpu, long now) {}

  @Override
  public void cpusAllowedChanged(Task task, long now) {}

  @Override
  public void tick(int cpu, Task current, long now) {}

  @Override
  public int cid(Task task) {
    return cids.get(task.tid());
  }
}
