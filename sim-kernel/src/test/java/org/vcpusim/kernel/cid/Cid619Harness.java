package org.vcpusim.kernel.cid;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.vcpusim.kernel.sched.FairScheduler;
import org.vcpusim.kernel.sched.SchedObserver;
import org.vcpusim.kernel.sched.SchedParams;
import org.vcpusim.kernel.sched.SchedProcess;
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
 * Drives a {@link MmCid619Allocator} the way the machine does: a real {@link FairScheduler} on a
 * flat topology decides who runs where, and its events reach the allocator in the machine's order
 * (the scheduler counts a new thread before {@code fork}, {@code exit} precedes the final
 * switch-out, switch-out precedes switch-in); a {@link FakeKernel} answers the allocator's
 * questions and records its charges. After every operation the harness calls {@code schedule} on
 * each CPU with need_resched, as the machine does at the next instruction boundary.
 *
 * <p>{@link #violations()} lists every broken rule of the v6.19 allocator (ABI rules, bounds,
 * ownership bookkeeping); tests assert it is empty after each step.
 *
 * <p><b>Caveats:</b> test scaffolding; not thread-safe.
 */
final class Cid619Harness {
  /** The context-switch cost the scheduler parameters need; irrelevant to the allocator. */
  private static final long SWITCH_CYCLES = 2000;

  final int nrCpus;
  final FakeKernel kernel;
  final FairScheduler sched;
  final MmCid619Allocator cid;
  final long tickPs;
  long now;

  Cid619Harness(int nrCpus) {
    this(nrCpus, MmCid619Allocator.FIXUP_VISIT_CYCLES);
  }

  Cid619Harness(int nrCpus, long fixupVisitCycles) {
    this.nrCpus = nrCpus;
    this.kernel = new FakeKernel(nrCpus, nrCpus);
    SchedParams params = SchedParams.linuxDefaults(nrCpus, SWITCH_CYCLES);
    this.tickPs = params.tickPeriodPs();
    this.sched = new FairScheduler(CpuTopology.flat(nrCpus), params, new Forwarder());
    this.cid = new MmCid619Allocator(kernel, sched, fixupVisitCycles);
  }

  /** The scheduler's events, forwarded as the machine's {@code Observer} does. */
  private final class Forwarder implements SchedObserver {
    @Override
    public void switchOut(int cpu, SchedTask prev, SwitchReason reason, long at) {
      cid.switchOut(cpu, task(prev.id()), at);
      kernel.idle(cpu);
    }

    @Override
    public void switchIn(int cpu, SchedTask next, long at) {
      kernel.run(task(next.id()), cpu);
      cid.switchIn(cpu, task(next.id()), at);
    }

    @Override
    public void migrated(SchedTask t, int fromCpu, int toCpu, long at) {
      cid.migrated(task(t.id()), fromCpu, toCpu, at);
    }

    @Override
    public void cpusAllowedChanged(SchedTask t, long at) {
      cid.cpusAllowedChanged(task(t.id()), at);
    }

    @Override
    public void exited(SchedTask t, long at) {
      cid.exit(task(t.id()), at);
    }
  }

  // ------------------------------------------------------------------ operations

  Task task(int tid) {
    return kernel.task(tid);
  }

  /** A new process with one thread allowed on {@code mask}. */
  Task spawnProcess(CpuMask mask) {
    Task t = kernel.newProcess("p");
    cid.mmInit(t.process(), now);
    sched.spawn(t.tid(), t.process().pid(), mask, 0, -1, now);
    cid.fork(t, now);
    settle();
    return t;
  }

  /** A new thread of {@code sibling}'s process, forked by {@code sibling}, allowed on {@code mask}. */
  Task spawnThread(Task sibling, CpuMask mask) {
    Task t = kernel.newThread(sibling.process(), "t");
    sched.spawn(t.tid(), t.process().pid(), mask, 0, sibling.tid(), now);
    cid.fork(t, now);
    settle();
    return t;
  }

  /** {@code n} threads of {@code sibling}'s process on {@code mask}. */
  List<Task> spawnThreads(Task sibling, CpuMask mask, int n) {
    List<Task> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(spawnThread(sibling, mask));
    }
    return l;
  }

  /** Ends {@code t}; releases its mm when it was the last thread, as the machine does. */
  void exit(Task t) {
    sched.exit(t.tid(), now);
    settle();
    Process p = t.process();
    if (sched.process(p.pid()).users() == 0) {
      cid.mmRelease(p, now);
    }
  }

  /**
   * {@code execve()} by the running task {@code t}: its siblings end, then the exec hooks run
   * with {@code t} current on its CPU.
   */
  void exec(Task t) {
    SchedTask st = sched.task(t.tid());
    if (st.state() != TaskState.RUNNING) {
      throw new IllegalStateException(t + " is not running");
    }
    for (SchedTask s : sched.process(t.process().pid()).threads()) {
      if (s.id() != t.tid()) {
        sched.exit(s.id(), now);
      }
    }
    settle();
    int cpu = sched.task(t.tid()).cpu();
    cid.beforeExec(t, cpu, now);
    cid.afterExec(t, cpu, now);
  }

  /** The current task of {@code cpu} blocks. */
  void sleep(int cpu) {
    SchedTask c = sched.current(cpu);
    if (c != null) {
      sched.sleep(c.id(), now);
      settle();
    }
  }

  void wake(Task t) {
    sched.wake(t.tid(), now);
    settle();
  }

  void yield(int cpu) {
    if (sched.current(cpu) != null) {
      sched.yield(cpu, now);
      settle();
    }
  }

  int setAffinity(Task t, CpuMask mask) {
    int r = sched.setAffinity(t.tid(), mask, now);
    settle();
    return r;
  }

  /** {@code n} scheduler ticks on every CPU, with the allocator's tick hook. */
  void ticks(int n) {
    for (int i = 0; i < n; i++) {
      now += tickPs;
      for (int cpu = 0; cpu < nrCpus; cpu++) {
        sched.tick(cpu, now);
        cid.tick(cpu, kernel.currentOn(cpu), now);
      }
      settle();
    }
  }

  void balance() {
    sched.balance(now);
    settle();
  }

  void advance(long ps) {
    now += ps;
  }

  /** Calls schedule on every CPU with need_resched until none is left ({@link Resched}). */
  void settle() {
    Resched.settle(sched, now);
  }

  // ------------------------------------------------------------------ queries

  /** The task running on {@code cpu}, or null. */
  Task running(int cpu) {
    SchedTask c = sched.current(cpu);
    return c == null ? null : task(c.id());
  }

  /** The CPU {@code t} runs on, or -1. */
  int cpuOf(Task t) {
    SchedTask st = sched.task(t.tid());
    return st.state() == TaskState.RUNNING ? st.cpu() : -1;
  }

  /** The live threads of {@code t}'s process. */
  List<Task> liveThreads(Task t) {
    List<Task> l = new ArrayList<>();
    for (SchedTask s : sched.process(t.process().pid()).threads()) {
      l.add(task(s.id()));
    }
    return l;
  }

  // ------------------------------------------------------------------ the rules

  /** Every broken rule, as readable messages; empty when all hold. */
  List<String> violations() {
    List<String> v = new ArrayList<>();
    for (SchedProcess p : sched.processes()) {
      if (p.users() > 0) {
        checkMm(p, v);
      }
    }
    return v;
  }

  private void checkMm(SchedProcess p, List<String> v) {
    int pid = p.id();
    int users = p.users();
    int mode = cid.rawMode(pid);
    boolean perCpu = cid.perCpuMode(pid);
    String at = String.format(Locale.ROOT, "t=%d mm%d: ", now, pid);
    // ABI rule 1 and 2, and every running user holds an id.
    BitSet running = new BitSet();
    for (int cpu = 0; cpu < nrCpus; cpu++) {
      Task t = running(cpu);
      if (t == null || t.process().pid() != pid) {
        continue;
      }
      int c = cid.cid(t);
      if (c < 0) {
        v.add(at + t + " runs on cpu" + cpu + " without an id");
        continue;
      }
      if (c >= nrCpus) {
        v.add(at + t + " holds id " + c + " >= nr_cpu_ids " + nrCpus);
      }
      if (running.get(c)) {
        v.add(at + "id " + c + " held by two running tasks (one is " + t + ")");
      }
      running.set(c);
      int raw = cid.rawTaskCid(t.tid());
      if (raw != cid.rawCpuCid(pid, cpu)) {
        v.add(at + t + " raw id " + hex(raw) + " differs from cpu" + cpu + "'s slot "
            + hex(cid.rawCpuCid(pid, cpu)));
      }
    }
    // Bounds and mode.
    if ((mode & MmCid619Allocator.MM_CID_TRANSIT) != 0) {
      v.add(at + "mode " + hex(mode) + " left in transition");
    }
    if (cid.users(pid) != users) {
      v.add(at + "allocator counts " + cid.users(pid) + " users, scheduler " + users);
    }
    int opt = Math.min(p.nrCpusAllowed(), users);
    int max = Math.min(opt + opt / 4, nrCpus);
    if (cid.maxCids(pid) != max) {
      v.add(at + "max_cids " + cid.maxCids(pid) + ", expected " + max);
    }
    int thrs = cid.pcpuThreshold(pid);
    if (perCpu && (thrs < 1 || users < thrs)) {
      v.add(at + "per-CPU mode with " + users + " users and pcpu_thrs " + thrs);
    }
    if (!perCpu && (thrs != 0 || users > max)) {
      v.add(at + "per-task mode with " + users + " users, max_cids " + max + ", pcpu_thrs "
          + thrs);
    }
    // Ownership: each taken id has exactly one owner, and every owner's id is taken.
    BitSet owned = new BitSet();
    for (SchedTask s : p.threads()) {
      int raw = cid.rawTaskCid(s.id());
      if (!cid.isActive(s.id())) {
        v.add(at + "live task " + s.id() + " is not a user");
      }
      boolean taskOwned = Integer.compareUnsigned(raw, MmCid619Allocator.MM_CID_TRANSIT) < 0;
      boolean transit = (raw & MmCid619Allocator.MM_CID_TRANSIT) != 0;
      if (taskOwned && perCpu) {
        v.add(at + "task " + s.id() + " owns id " + raw + " in per-CPU mode");
      }
      if (taskOwned || transit) {
        own(owned, raw & ~MmCid619Allocator.MM_CID_TRANSIT, "task " + s.id(), at, v);
      }
    }
    for (int cpu = 0; cpu < nrCpus; cpu++) {
      int raw = cid.rawCpuCid(pid, cpu);
      if ((raw & MmCid619Allocator.MM_CID_ONCPU) != 0) {
        if (!perCpu) {
          v.add(at + "cpu" + cpu + " owns " + hex(raw) + " in per-task mode");
        }
        own(owned, raw & ~MmCid619Allocator.MM_CID_ONCPU, "cpu" + cpu, at, v);
      }
    }
    BitSet taken = cid.cidmask(pid);
    if (!taken.equals(owned)) {
      v.add(at + "taken ids " + taken + " but owned " + owned);
    }
    if (taken.length() > nrCpus) {
      v.add(at + "taken ids " + taken + " reach past nr_cpu_ids " + nrCpus);
    }
  }

  private static void own(BitSet owned, int c, String owner, String at, List<String> v) {
    if (c < 0 || owned.get(c)) {
      v.add(at + owner + " owns id " + c + ", owned twice or invalid");
      return;
    }
    owned.set(c);
  }

  private static String hex(int raw) {
    return "0x" + Integer.toHexString(raw);
  }

  /** Fails with every broken rule. */
  void check() {
    List<String> v = violations();
    if (!v.isEmpty()) {
      throw new AssertionError(String.join("; ", v));
    }
  }
}
