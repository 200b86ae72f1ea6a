package org.vcpusim.kernel.cid;

import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * The identity policy ({@code cpu} in scenarios): a running task's concurrency id is the number of
 * the CPU it runs on, the value the rseq {@code cpu_id} field carries and what per-CPU data was
 * indexed by before {@code mm_cid} existed (reference {@code kernel.md} §1, DESIGN.md
 * "concurrency ids"). A task that is not running holds no id ({@link #UNSET}), as {@code
 * switch_mm_cid()} leaves {@code prev->mm_cid = -1}.
 *
 * <p>Both ABI rules hold by construction: one task runs per CPU, and every CPU number is below
 * {@code nr_cpu_ids}. The ids are not compact: a process of two threads on CPUs 0 and 63 uses ids
 * 0 and 63, which is the space cost the mm_cid allocators exist to remove.
 *
 * <p><b>Caveats:</b> not thread-safe; costs nothing (the CPU number is at hand at switch-in).
 */
public final class CpuNumberCidAllocator implements MmCidAllocator {
  /** The scenario name of this policy. */
  public static final String NAME = "cpu";

  private final TaskIntTable cidOfTask = new TaskIntTable(UNSET);

  /** A factory for {@link org.vcpusim.kernel.cid.MmCidAllocator.Factory} users. */
  public static MmCidAllocator.Factory factory() {
    return (kernel, scheduler) -> new CpuNumberCidAllocator();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void mmInit(Process mm, long now) {}

  @Override
  public void mmRelease(Process mm, long now) {}

  @Override
  public void fork(Task child, long now) {
    cidOfTask.clear(child.tid());
  }

  @Override
  public void exit(Task task, long now) {
    cidOfTask.clear(task.tid());
  }

  @Override
  public void beforeExec(Task task, int cpu, long now) {}

  @Override
  public void afterExec(Task task, int cpu, long now) {
    cidOfTask.set(task.tid(), cpu);
  }

  @Override
  public void switchOut(int cpu, Task prev, long now) {
    cidOfTask.clear(prev.tid());
  }

  @Override
  public void switchIn(int cpu, Task next, long now) {
    cidOfTask.set(next.tid(), cpu);
  }

  @Override
  public void migrated(Task task, int fromCpu, int toCpu, long now) {}

  @Override
  public void cpusAllowedChanged(Task task, long now) {}

  @Override
  public void tick(int cpu, Task current, long now) {}

  @Override
  public int cid(Task task) {
    return cidOfTask.get(task.tid());
  }
}
