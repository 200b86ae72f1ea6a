package org.vcpusim.kernel.cid;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.vcpusim.kernel.sched.FairScheduler;
import org.vcpusim.kernel.sched.SchedObserver;
import org.vcpusim.kernel.sched.SchedParams;
import org.vcpusim.kernel.sched.SchedTask;
import org.vcpusim.kernel.sched.SwitchReason;
import org.vcpusim.kernel.sched.TaskState;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.testing.FakeKernel;
import org.vcpusim.kernel.testing.Resched;
import org.vcpusim.kernel.topology.CpuMask;
import org.vcpusim.kernel.topology.CpuTopology;

/**
 * Plays the machine around one {@link MmCidAllocator}: a real {@link FairScheduler} whose
 * observer forwards every switch, migration, affinity change and exit to the allocator (through a
 * {@link CidAccounting}) in the order {@code Machine}'s observer does, a {@link FakeKernel} for
 * {@link org.vcpusim.kernel.task.KernelServices} (its current task per CPU kept in step with the
 * switches, every charge recorded), the clock, and ticks of every CPU.
 *
 * <p>Next to the scheduler it keeps a <b>reference model</b> of the machine state built only from
 * what it was told — which task is current on which CPU (from the switch events), the live threads
 * of each mm, each task's requested mask — and, per mm, the largest number of its tasks ever
 * running at once and the time of the last event that touched its tasks (switch, migration,
 * spawn, exit, affinity, exec). {@link #violations} compares the model with the scheduler and then
 * checks the allocator's contract against the model.
 *
 * <p><b>Caveats:</b> test scaffolding; not thread-safe; the context-switch cost itself is not
 * charged, so {@link FakeKernel#charged} holds only what the allocator charged.
 */
final class CidHarness implements SchedObserver {
  /** No more live threads than this (the generator's spawn is a no-op beyond). */
  static final int MAX_LIVE_TASKS = 12;

  final FakeKernel kernel;
  final FairScheduler sched;
  final CidAccounting cid;
  final MmCidAllocator policy;
  final int nrCpus;
  final long tickPs;
  long now;
  long steps;
  /** How many times a policy bound found an mm quiet long enough for its settled-state check. */
  long quietChecks;

  // ---------------------------------------------------------------- the reference model
  final int[] current;
  final TreeMap<Integer, List<Integer>> liveThreads = new TreeMap<>();
  final TreeMap<Integer, CpuMask> requested = new TreeMap<>();
  final TreeMap<Integer, Integer> peakRunning = new TreeMap<>();
  final TreeMap<Integer, Long> lastDisturbance = new TreeMap<>();

  CidHarness(CpuTopology topology, MmCidAllocator.Factory factory) {
    this.nrCpus = topology.nrCpus();
    this.kernel = new FakeKernel(nrCpus, nrCpus);
    SchedParams params = SchedParams.linuxDefaults(nrCpus, 0);
    this.sched = new FairScheduler(topology, params, this);
    this.tickPs = params.tickPeriodPs();
    this.policy = factory.create(kernel, sched);
    this.cid = new CidAccounting(policy, kernel);
    this.current = new int[nrCpus];
    java.util.Arrays.fill(current, -1);
  }

  // ---------------------------------------------------------------- operations

  /** A new process with one thread allowed on {@code mask}; returns the thread (pid = tid). */
  Task newProcess(CpuMask mask) {
    Task t = kernel.newProcess("p");
    Process p = t.process();
    cid.mmInit(p, now);
    liveThreads.put(p.pid(), new ArrayList<>());
    spawnTask(t, mask);
    return t;
  }

  /** A new thread of process {@code pid} allowed on {@code mask}. */
  Task newThread(int pid, CpuMask mask) {
    Process p = kernel.task(pid).process();
    Task t = kernel.newThread(p, "t");
    spawnTask(t, mask);
    return t;
  }

  private void spawnTask(Task t, CpuMask mask) {
    int pid = t.process().pid();
    sched.spawn(t.tid(), pid, mask, now);
    requested.put(t.tid(), mask);
    liveThreads.get(pid).add(t.tid());
    disturb(pid);
    cid.fork(t, now);
    settle();
  }

  /** Task {@code tid} exits (running or not); an mm losing its last thread is released. */
  void exit(int tid) {
    Task t = kernel.task(tid);
    int pid = t.process().pid();
    sched.exit(tid, now);
    liveThreads.get(pid).remove(Integer.valueOf(tid));
    disturb(pid);
    if (liveThreads.get(pid).isEmpty()) {
      cid.mmRelease(t.process(), now);
    }
    settle();
  }

  /** The task current on {@code cpu} blocks. */
  void sleep(int cpu) {
    SchedTask curr = sched.current(cpu);
    if (curr != null) {
      sched.sleep(curr.id(), now);
      settle();
    }
  }

  /** Wakes task {@code tid} if it sleeps. */
  void wake(int tid) {
    sched.wake(tid, now);
    settle();
  }

  void yield(int cpu) {
    if (sched.current(cpu) != null) {
      sched.yield(cpu, now);
      settle();
    }
  }

  void setAffinity(int tid, CpuMask mask) {
    if (sched.setAffinity(tid, mask, now) == 0) {
      requested.put(tid, mask);
    }
    settle();
  }

  void balance() {
    sched.balance(now);
    settle();
  }

  /**
   * {@code execve()} by the task current on {@code cpu}: the other threads of its process exit,
   * then the allocator's before/after-exec hooks run with the task current throughout.
   */
  void exec(int cpu) {
    SchedTask curr = sched.current(cpu);
    if (curr == null) {
      return;
    }
    Task t = kernel.task(curr.id());
    int pid = t.process().pid();
    for (int other : new ArrayList<>(liveThreads.get(pid))) {
      if (other != t.tid()) {
        sched.exit(other, now);
        liveThreads.get(pid).remove(Integer.valueOf(other));
      }
    }
    if (sched.current(cpu) == null || sched.current(cpu).id() != t.tid()) {
      settle();
      return;
    }
    disturb(pid);
    cid.beforeExec(t, cpu, now);
    cid.afterExec(t, cpu, now);
    settle();
  }

  /** One tick of every CPU (scheduler tick, then the allocator's), then need_resched settles. */
  void tick() {
    now += tickPs;
    kernel.setNow(now);
    for (int cpu = 0; cpu < nrCpus; cpu++) {
      sched.tick(cpu, now);
      SchedTask curr = sched.current(cpu);
      if (curr != null) {
        cid.tick(cpu, kernel.task(curr.id()), now);
      }
    }
    settle();
  }

  /** Calls schedule on every CPU with need_resched until none is left ({@link Resched}). */
  void settle() {
    Resched.settle(sched, now);
  }

  // ---------------------------------------------------------------- queries

  /** Live thread ids, in id order. */
  List<Integer> liveTids() {
    List<Integer> ids = new ArrayList<>();
    liveThreads.values().forEach(ids::addAll);
    ids.sort(Integer::compare);
    return ids;
  }

  /** Ids of live threads in {@code state}, in id order. */
  List<Integer> tidsIn(TaskState state) {
    List<Integer> ids = new ArrayList<>();
    for (int tid : liveTids()) {
      if (sched.task(tid).state() == state) {
        ids.add(tid);
      }
    }
    return ids;
  }

  /** Processes with at least one live thread, in pid order. */
  List<Integer> livePids() {
    List<Integer> pids = new ArrayList<>();
    liveThreads.forEach((pid, tids) -> {
      if (!tids.isEmpty()) {
        pids.add(pid);
      }
    });
    return pids;
  }

  /** Tasks of {@code pid} current on some CPU according to the model. */
  List<Integer> running(int pid) {
    List<Integer> r = new ArrayList<>();
    for (int cpu = 0; cpu < nrCpus; cpu++) {
      if (current[cpu] >= 0 && kernel.task(current[cpu]).process().pid() == pid) {
        r.add(current[cpu]);
      }
    }
    return r;
  }

  /** The grow-only union of the effective masks of {@code pid}'s threads, per the model. */
  int nrCpusAllowed(int pid) {
    return sched.process(pid).nrCpusAllowed();
  }

  // ---------------------------------------------------------------- checks

  /**
   * The model against the scheduler, then the allocator contract every policy promises: every
   * running task holds a cid, no two running tasks of an mm share one, every cid is below
   * nr_cpu_ids. Returns the violations (empty when all hold).
   */
  List<String> violations() {
    steps++;
    List<String> v = new ArrayList<>();
    for (int cpu = 0; cpu < nrCpus; cpu++) {
      SchedTask s = sched.current(cpu);
      int sid = s == null ? -1 : s.id();
      if (sid != current[cpu]) {
        v.add("model has task " + current[cpu] + " current on cpu " + cpu + ", scheduler " + sid);
      }
    }
    for (var e : liveThreads.entrySet()) {
      int users = sched.process(e.getKey()).users();
      if (users != e.getValue().size()) {
        v.add("mm " + e.getKey() + ": model users " + e.getValue().size() + ", scheduler " + users);
      }
    }
    for (int tid : liveTids()) {
      int c = cid.cid(kernel.task(tid));
      if (c >= kernel.nrCpuIds()) {
        v.add("task " + tid + " holds cid " + c + " >= nr_cpu_ids " + kernel.nrCpuIds());
      }
    }
    for (int pid : livePids()) {
      TreeMap<Integer, Integer> holder = new TreeMap<>();
      for (int tid : running(pid)) {
        int c = cid.cid(kernel.task(tid));
        if (c < 0) {
          v.add("running task " + tid + " of mm " + pid + " holds no cid");
          continue;
        }
        Integer other = holder.put(c, tid);
        if (other != null) {
          v.add("running tasks " + other + " and " + tid + " of mm " + pid + " share cid " + c);
        }
      }
    }
    return v;
  }

  /** Whether {@code pid}'s tasks saw no event since {@code now - window}. */
  boolean quietFor(int pid, long window) {
    Long last = lastDisturbance.get(pid);
    return last != null && now - last >= window;
  }

  private void disturb(int pid) {
    lastDisturbance.put(pid, now);
  }

  // ---------------------------------------------------------------- SchedObserver

  @Override
  public void switchOut(int cpu, SchedTask prev, SwitchReason reason, long at) {
    cid.switchOut(cpu, kernel.task(prev.id()), at);
    kernel.idle(cpu);
    current[cpu] = -1;
    disturb(prev.processId());
  }

  @Override
  public void switchIn(int cpu, SchedTask next, long at) {
    Task t = kernel.task(next.id());
    kernel.run(t, cpu);
    current[cpu] = next.id();
    int pid = next.processId();
    disturb(pid);
    peakRunning.merge(pid, running(pid).size(), Math::max);
    cid.switchIn(cpu, t, at);
  }

  @Override
  public void idle(int cpu, long at) {
    kernel.idle(cpu);
    current[cpu] = -1;
  }

  @Override
  public void reschedule(int cpu, long at) {}

  @Override
  public void wakeup(SchedTask task, int cpu, long at) {}

  @Override
  public void wakeupNew(SchedTask task, int cpu, long at) {}

  @Override
  public void migrated(SchedTask task, int fromCpu, int toCpu, long at) {
    disturb(task.processId());
    cid.migrated(kernel.task(task.id()), fromCpu, toCpu, at);
  }

  @Override
  public void cpusAllowedChanged(SchedTask task, long at) {
    disturb(task.processId());
    cid.cpusAllowedChanged(kernel.task(task.id()), at);
  }

  @Override
  public void exited(SchedTask task, long at) {
    disturb(task.processId());
    cid.exit(kernel.task(task.id()), at);
  }
}
