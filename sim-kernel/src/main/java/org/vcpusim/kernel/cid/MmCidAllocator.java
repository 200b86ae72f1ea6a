package org.vcpusim.kernel.cid;

import org.vcpusim.core.stats.StatsRegistry;
import org.vcpusim.kernel.sched.FairScheduler;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * A concurrency-id allocator: the policy that gives each running user thread of a memory space
 * ({@code struct mm_struct}) its {@code mm_cid}, the value the kernel publishes in the rseq area
 * (and, under the GS mode being reviewed, folds into the GS base). The machine calls the hooks
 * below at the points where the kernel calls its mm_cid code, always synchronously and in
 * simulated-time order; {@link #cid} is the kernel's {@code task_mm_cid()}.
 *
 * <p>The hook points (reference {@code kernel.md} §2.6 for v6.4–v6.18, §3.3 for v6.19):
 *
 * <ul>
 *   <li>{@link #mmInit}: a new mm ({@code mm_init_cid()}, at process creation and in the forked
 *       child), before its first thread is created; {@link #mmRelease} when its last thread has
 *       gone ({@code mm_destroy_cid()}).
 *   <li>{@link #fork}: a new user thread of its mm ({@code sched_mm_cid_fork()}), after the
 *       scheduler counted it among the mm's users and before it first runs.
 *   <li>{@link #exit}: the thread is leaving ({@code sched_mm_cid_exit_signals()}, v6.19 {@code
 *       sched_mm_cid_exit()}), before its final switch-out; the scheduler no longer counts it.
 *   <li>{@link #beforeExec} / {@link #afterExec}: around an {@code execve()} that replaces the
 *       image ({@code sched_mm_cid_before_execve()}, {@code sched_mm_cid_after_execve()}); the
 *       thread is current on {@code cpu} throughout.
 *   <li>{@link #switchOut} then {@link #switchIn} (or nothing when the CPU goes idle): one context
 *       switch ({@code switch_mm_cid()} in {@code context_switch()}, v6.19 {@code
 *       mm_cid_schedout()} / {@code mm_cid_schedin()}). <b>The cid of a running task is computed at
 *       switch-in</b> (kernel.md §8.2): {@link #cid} of the task just switched in is its id until
 *       it is switched out, which is what makes a per-switch GS-base write sufficient.
 *   <li>{@link #migrated}: the task was moved to another CPU's run queue while not running
 *       ({@code sched_mm_cid_migrate_from()} in {@code set_task_cpu()}, {@code
 *       sched_mm_cid_migrate_to()} in {@code activate_task()}).
 *   <li>{@link #cpusAllowedChanged}: the task's effective affinity changed ({@code
 *       mm_set_cpus_allowed()}); the scheduler's {@code SchedProcess} already carries the new
 *       grow-only union.
 *   <li>{@link #tick}: the scheduler tick of a CPU that runs {@code current} ({@code
 *       task_tick_mm_cid()}, the place the 6.4–6.18 allocator starts its 100 ms compaction scan).
 * </ul>
 *
 * <p>An allocator reads what it needs of the scheduler (an mm's users, its grow-only {@code
 * nr_cpus_allowed}, which task is current on a CPU) through the {@link FairScheduler} and {@link
 * KernelServices} its {@link Factory} receives, charges its own work with {@link
 * KernelServices#charge} and counts its own events with {@link KernelServices#count} (under {@code
 * cid.<name>.}). Per-task and per-mm statistics common to all policies (changes, high-water marks)
 * are kept by {@link CidAccounting}, which wraps the allocator; a policy only tracks what is
 * specific to it. Per-mm and per-task state lives in the allocator, keyed by pid and tid.
 *
 * <p>Contract the machine's checkers rely on: a task that is running has {@code cid(task) >= 0};
 * no two running tasks of one mm hold the same cid; every cid is below {@link
 * KernelServices#nrCpuIds()} (the two ABI requirements of kernel.md §3.3).
 *
 * <p><b>Caveats:</b> not thread-safe; one instance per machine. Hooks must not call back into the
 * scheduler's operations (they may call its queries).
 */
public interface MmCidAllocator {
  /** {@code MM_CID_UNSET} as {@link #cid} reports it: the task holds no id. */
  int UNSET = -1;

  /** Builds an allocator for one machine. */
  @FunctionalInterface
  interface Factory {
    MmCidAllocator create(KernelServices kernel, FairScheduler scheduler);
  }

  /** The policy's name as scenarios and reports spell it: {@code "cpu"}, {@code "mm_cid-6.4"}... */
  String name();

  /** A new memory space. */
  void mmInit(Process mm, long now);

  /** The memory space lost its last thread. */
  void mmRelease(Process mm, long now);

  /** {@code child} is a new user thread of its process (thread creation or the child of fork). */
  void fork(Task child, long now);

  /** {@code task} exits; it is still current on its CPU if it was running. */
  void exit(Task task, long now);

  /** {@code task}, current on {@code cpu}, is about to replace its process image. */
  void beforeExec(Task task, int cpu, long now);

  /** {@code task}, current on {@code cpu}, has replaced its process image. */
  void afterExec(Task task, int cpu, long now);

  /** {@code prev} stops running on {@code cpu}. */
  void switchOut(int cpu, Task prev, long now);

  /** {@code next} starts running on {@code cpu}; its cid is decided here. */
  void switchIn(int cpu, Task next, long now);

  /** {@code task}, not running, moved from {@code fromCpu}'s run queue to {@code toCpu}'s. */
  void migrated(Task task, int fromCpu, int toCpu, long now);

  /** {@code task}'s effective affinity mask changed. */
  void cpusAllowedChanged(Task task, long now);

  /** The scheduler tick of {@code cpu}, which runs {@code current}. */
  void tick(int cpu, Task current, long now);

  /** The cid {@code task} holds now ({@code task_mm_cid()}), or {@link #UNSET}. */
  int cid(Task task);

  /**
   * Writes the figures specific to this policy (lock waits, compaction work, steals...) under
   * {@code cid.<name>.mm<pid>.<figure>}, with any {@code '.'} of the name written {@code '_'}
   * (a statistic name's segments are separated by dots); {@link CidAccounting#publish} calls it.
   * By default the policy has none.
   */
  default void publish(StatsRegistry stats) {}

  /**
   * {@link #name} as a statistics name segment: {@code "mm_cid-6.4"} becomes {@code
   * "mm_cid-6_4"}.
   */
  static String statsSegment(String name) {
    return name.replace('.', '_');
  }

  /**
   * The prefix under which policy {@code name} {@link #publish publishes} the figures of process
   * {@code pid}: {@code "cid.<statsSegment(name)>.mm<pid>."}.
   */
  static String statsPrefix(String name, int pid) {
    return "cid." + statsSegment(name) + ".mm" + pid + ".";
  }

  /** {@link #compactLimit} of a policy that promises nothing beyond {@code cid < nr_cpu_ids}. */
  int NO_COMPACT_LIMIT = Integer.MAX_VALUE;

  /**
   * The compaction the policy promises: once mm {@code pid} has gone a while without a fork, exit
   * or affinity change, every id it hands out at a switch-in lies below the returned limit (kernel.md
   * §2.6 "Bound", §3.3 "optimal space"). The machine's {@code cid_compact} checker holds the policy
   * to it. {@code users} and {@code nrCpusAllowed} are the mm's now. Default {@link
   * #NO_COMPACT_LIMIT}: the identity policy {@code "cpu"} promises no compaction.
   */
  default int compactLimit(int pid, int users, int nrCpusAllowed) {
    return NO_COMPACT_LIMIT;
  }
}
