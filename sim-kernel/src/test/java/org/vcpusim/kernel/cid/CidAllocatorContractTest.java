package org.vcpusim.kernel.cid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicktheories.core.Gen;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.kernel.sched.TaskState;
import org.vcpusim.kernel.topology.CpuMask;
import org.vcpusim.kernel.topology.CpuTopology;

/**
 * The contract every {@link MmCidAllocator} keeps, checked against each allocator of {@link
 * #allocators()} (JCTools-style: one sanity suite, many implementations) by a stateful
 * QuickTheories property. A command list — spawn a thread, fork a new mm, exit a thread, switch a
 * task out (it blocks) or in (it wakes), yield, migrate a queued task, narrow or widen an
 * affinity, load-balance, exec, tick, advance time by up to 300 ms with ticks — runs through a
 * {@link CidHarness} (a real {@link org.vcpusim.kernel.sched.FairScheduler} playing the machine,
 * with a reference model of which task is current where, the users of each mm and the requested
 * masks). After every step, every tick of a time advance included, the harness compares its model
 * with the scheduler and checks the ABI contract (kernel.md §3.3, §8.1): every running task holds
 * a cid, no two running tasks of one mm share one, every cid is below {@code nr_cpu_ids}; then
 * the policy's own {@link Bound}.
 *
 * <p>Commands are drawn as five numbers (kind and four arguments) and decoded against the state at
 * run time, so shrinking one command never shifts the next and a shrunk counterexample keeps only
 * the commands that matter; the description leaves the no-ops out.
 *
 * <p><b>Adding an allocator</b>: one line in {@link #allocators()} (and one in {@link
 * CidAllocators}); {@link #everyRegisteredAllocatorIsUnderContract} fails until both are there.
 */
class CidAllocatorContractTest {
  /** Fixed so that a run is reproducible; vary it to explore. */
  private static final long SEED = 0xC1D_2026L;

  /** Four CPUs: enough for contention, steals and ids above a shrunk bound. */
  static final CpuTopology TOPOLOGY = CpuTopology.flat(4);

  private static final int MAX_PROCESSES = 4;
  private static final int MAX_ADVANCE_MS = 300;

  // ---------------------------------------------------------------- the allocators under contract

  /** An allocator under contract: its name, factory and its own bound beyond the ABI rules. */
  record Spec(String name, MmCidAllocator.Factory factory, Bound bound) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Every allocator the contract runs against; one line per allocator. */
  static Stream<Spec> allocators() {
    return Stream.of(
        new Spec(CpuNumberCidAllocator.NAME, CpuNumberCidAllocator.factory(), Bound::cpuNumber),
        new Spec(Vcpu2022CidAllocator.NAME, Vcpu2022CidAllocator.factory(), Bound::vcpu2022),
        new Spec(MmCid64Allocator.NAME, MmCid64Allocator.factory(), Bound::mmCid64),
        new Spec(MmCid619Allocator.NAME, MmCid619Allocator.factory(), Bound::mmCid619));
  }

  /** A policy's own promise, checked after every step; adds violations to {@code v}. */
  @FunctionalInterface
  interface Bound {
    void check(CidHarness h, List<String> v);

    /** {@code cpu}: a running task's cid is its CPU; a task that is not running holds none. */
    static void cpuNumber(CidHarness h, List<String> v) {
      for (int cpu = 0; cpu < h.nrCpus; cpu++) {
        int tid = h.current[cpu];
        if (tid >= 0 && h.cid.cid(h.kernel.task(tid)) != cpu) {
          int c = h.cid.cid(h.kernel.task(tid));
          v.add("task " + tid + " runs on cpu " + cpu + " with cid " + c);
        }
      }
      notRunningHoldNone(h, v);
    }

    /**
     * {@code vcpu-2022}: the bitmap holds exactly the running tasks' ids (no leak), and as the
     * lowest free id is always taken, every id is below the largest number of the mm's tasks
     * that ever ran at once.
     */
    static void vcpu2022(CidHarness h, List<String> v) {
      Vcpu2022CidAllocator a = (Vcpu2022CidAllocator) h.policy;
      for (int pid : h.livePids()) {
        List<Integer> running = h.running(pid);
        if (a.allocatedIds(pid) != running.size()) {
          v.add("mm " + pid + " has " + a.allocatedIds(pid) + " ids allocated for "
              + running.size() + " running tasks");
        }
        int peak = h.peakRunning.getOrDefault(pid, 0);
        for (int tid : running) {
          int c = h.cid.cid(h.kernel.task(tid));
          if (c >= peak) {
            v.add("task " + tid + " of mm " + pid + " holds cid " + c + ", not below the "
                + peak + " tasks that ever ran at once");
          }
        }
      }
      notRunningHoldNone(h, v);
    }

    /**
     * {@code mm_cid-6.4}: every running cid is below the mm's {@code nr_cpus_allowed} and is its
     * CPU's cached cid; the bitmap is exactly the per-CPU cached cids, each on one CPU; and once
     * an mm with a running task has been left alone for two scan periods (plus a tick each),
     * compaction has freed every cid not cached under a running task and every valid cached cid
     * is below the number of running tasks, itself at most {@code min(users,
     * nr_cpus_allowed)}.
     */
    static void mmCid64(CidHarness h, List<String> v) {
      MmCid64Allocator a = (MmCid64Allocator) h.policy;
      long quietWindow = 2 * a.periodPs() + 2 * h.tickPs;
      for (int pid : h.livePids()) {
        int allowed = h.nrCpusAllowed(pid);
        for (int cpu = 0; cpu < h.nrCpus; cpu++) {
          int tid = h.current[cpu];
          if (tid < 0 || h.kernel.task(tid).process().pid() != pid) {
            continue;
          }
          int c = h.cid.cid(h.kernel.task(tid));
          if (c >= allowed) {
            v.add("task " + tid + " of mm " + pid + " holds cid " + c + " >= nr_cpus_allowed "
                + allowed);
          }
          if (c >= 0 && (a.pcpuCid(pid, cpu) & ~MmCid64Allocator.LAZY_PUT) != c) {
            v.add("task " + tid + " on cpu " + cpu + " holds cid " + c + " but the cpu caches "
                + a.pcpuCid(pid, cpu));
          }
        }
        TreeSet<Integer> cached = new TreeSet<>();
        for (int cpu = 0; cpu < h.nrCpus; cpu++) {
          int c = a.pcpuCid(pid, cpu);
          if (c == MmCidAllocator.UNSET) {
            continue;
          }
          int id = c & ~MmCid64Allocator.LAZY_PUT;
          if (!cached.add(id)) {
            v.add("mm " + pid + ": cid " + id + " cached on two CPUs");
          }
          if (!a.isAllocated(pid, id)) {
            v.add("mm " + pid + ": cid " + id + " cached on cpu " + cpu + " is not allocated");
          }
          if (id >= allowed) {
            v.add("mm " + pid + ": cid " + id + " cached on cpu " + cpu + " >= nr_cpus_allowed "
                + allowed);
          }
        }
        if (a.allocatedIds(pid) != cached.size()) {
          v.add("mm " + pid + ": " + a.allocatedIds(pid) + " ids allocated, " + cached.size()
              + " cached (a leak)");
        }
        List<Integer> running = h.running(pid);
        if (!running.isEmpty() && h.quietFor(pid, quietWindow)) {
          h.quietChecks++;
          int n = running.size();
          int target = Math.min(h.sched.process(pid).users(), allowed);
          if (a.allocatedIds(pid) != n || n > target) {
            v.add("mm " + pid + " quiet since " + h.lastDisturbance.get(pid) + ": "
                + a.allocatedIds(pid) + " ids allocated for " + n + " running tasks (target "
                + target + ")");
          }
          for (int cpu = 0; cpu < h.nrCpus; cpu++) {
            int c = a.pcpuCid(pid, cpu);
            if (MmCid64Allocator.isValid(c) && c >= n) {
              v.add("mm " + pid + " quiet: cpu " + cpu + " still caches valid cid " + c + " >= "
                  + n);
            }
          }
        }
      }
      notRunningHoldNone(h, v);
    }

    /**
     * {@code mm_cid-6.19}: in per-task mode every live thread of the mm owns a cid for its
     * lifetime, running or not, and no two own the same one; in per-CPU mode the running tasks
     * borrow their CPUs' cids (uniqueness among them is the common contract). The mode obeys the
     * thresholds: per-CPU mode needs more users than {@code pcpu_thrs}.
     */
    static void mmCid619(CidHarness h, List<String> v) {
      MmCid619Allocator a = (MmCid619Allocator) h.policy;
      for (int pid : h.livePids()) {
        int users = h.sched.process(pid).users();
        if (a.perCpuMode(pid)) {
          if (users < a.pcpuThreshold(pid)) {
            v.add("mm " + pid + " in per-CPU mode with " + users + " users < pcpu_thrs "
                + a.pcpuThreshold(pid));
          }
          continue;
        }
        TreeSet<Integer> owned = new TreeSet<>();
        for (int tid : h.liveTids()) {
          if (h.kernel.task(tid).process().pid() != pid) {
            continue;
          }
          int c = h.cid.cid(h.kernel.task(tid));
          if (c < 0) {
            v.add("per-task mode: task " + tid + " of mm " + pid + " owns no cid");
          } else if (!owned.add(c)) {
            v.add("per-task mode: cid " + c + " of mm " + pid + " owned twice");
          }
        }
      }
    }

    private static void notRunningHoldNone(CidHarness h, List<String> v) {
      TreeSet<Integer> running = new TreeSet<>();
      for (int tid : h.current) {
        running.add(tid);
      }
      for (int tid : h.liveTids()) {
        if (!running.contains(tid) && h.cid.cid(h.kernel.task(tid)) != MmCidAllocator.UNSET) {
          v.add("task " + tid + " is not running but holds cid " + h.cid.cid(h.kernel.task(tid)));
        }
      }
    }
  }

  // ---------------------------------------------------------------- the properties

  @ParameterizedTest(name = "{0}")
  @MethodSource("allocators")
  void contractHoldsForRandomCommandSequences(Spec spec) {
    List<CidHarness> runs = new ArrayList<>();
    qt().withFixedSeed(SEED)
        .withExamples(Integer.getInteger("vcpusim.qt.examples", 150))
        .withShrinkCycles(5000)
        .forAll(commands())
        .checkAssert(cmds -> runs.add(run(cmds, spec)));
    long steps = runs.stream().mapToLong(h -> h.steps).sum();
    assertTrue(steps > 20_000, "too few checked steps: " + steps);
    if (spec.name().equals(MmCid64Allocator.NAME)) {
      long quiet = runs.stream().mapToLong(h -> h.quietChecks).sum();
      assertTrue(quiet > 100, "the generator never left an mm quiet for two periods: " + quiet);
    }
  }

  @Test
  void theSameChainHoldsThroughEveryAllocator() {
    List<Spec> specs = allocators().toList();
    qt().withFixedSeed(SEED + 1)
        .withExamples(Integer.getInteger("vcpusim.qt.examples", 60))
        .withShrinkCycles(5000)
        .forAll(commands())
        .checkAssert(
            cmds -> {
              for (Spec spec : specs) {
                run(cmds, spec);
              }
            });
  }

  @Test
  void everyRegisteredAllocatorIsUnderContract() {
    List<String> underContract = allocators().map(Spec::name).sorted().toList();
    assertEquals(CidAllocators.names(), underContract);
  }

  /** Runs {@code cmds} against a fresh harness for {@code spec}, checking after every step. */
  static CidHarness run(List<Cmd> cmds, Spec spec) {
    CidHarness h = new CidHarness(TOPOLOGY, spec.factory());
    Runnable check =
        () -> {
          List<String> v = h.violations();
          spec.bound().check(h, v);
          if (!v.isEmpty()) {
            throw new AssertionError(spec.name() + " at t=" + h.now + " ps: " + v);
          }
        };
    for (Cmd c : cmds) {
      c.apply(h, check);
    }
    return h;
  }

  // ---------------------------------------------------------------- generators

  /** Relative frequencies of the command kinds; {@link Nop} stays first (shrink target). */
  private static final int[] WEIGHTS = {
    1, // Nop
    5, // Spawn
    2, // ForkMm
    2, // Exit
    5, // SwitchOut
    6, // SwitchIn
    3, // Yield
    3, // Migrate
    3, // SetAffinity
    1, // Balance
    1, // Exec
    6, // Tick
    2, // AdvanceTime
  };

  static Gen<List<Cmd>> commands() {
    int total = 0;
    for (int w : WEIGHTS) {
      total += w;
    }
    Gen<Integer> arg = integers().between(0, 1 << 16);
    Gen<Cmd> any =
        integers()
            .between(0, total - 1)
            .zip(arg, arg, arg, arg, CidAllocatorContractTest::decode);
    return lists()
        .of(any)
        .ofSizeBetween(1, 100)
        .describedAs(
            cmds ->
                cmds.stream()
                    .filter(c -> !(c instanceof Nop))
                    .map(Object::toString)
                    .collect(Collectors.joining(", ", "[", "]")));
  }

  private static Cmd decode(int k, int a, int b, int c, int d) {
    int nrCpus = TOPOLOGY.nrCpus();
    int maskBits = (1 << nrCpus) - 1;
    int kind = 0;
    for (int rest = k; rest >= WEIGHTS[kind]; kind++) {
      rest -= WEIGHTS[kind];
    }
    switch (kind) {
      case 0:
        return new Nop();
      case 1:
        return new Spawn(a, CpuMask.ofBits(1 + b % maskBits));
      case 2:
        return new ForkMm(CpuMask.ofBits(1 + a % maskBits));
      case 3:
        return new Exit(a);
      case 4:
        return new SwitchOut(a % nrCpus);
      case 5:
        return new SwitchIn(a);
      case 6:
        return new Yield(a % nrCpus);
      case 7:
        return new Migrate(a, b % nrCpus);
      case 8:
        return new SetAffinity(a, CpuMask.ofBits(1 + b % maskBits));
      case 9:
        return new Balance();
      case 10:
        return new Exec(a % nrCpus);
      case 11:
        return new Tick(1 + a % 3);
      default:
        return new AdvanceTime(1 + a % MAX_ADVANCE_MS);
    }
  }

  // ---------------------------------------------------------------- commands

  /** A command; {@code toString} is what a shrunk failure prints. */
  interface Cmd {
    /** Applies the command to {@code h}, running {@code check} after every step it makes. */
    void apply(CidHarness h, Runnable check);
  }

  record Nop() implements Cmd {
    @Override
    public void apply(CidHarness h, Runnable check) {}
  }

  /** A new thread in the {@code index}-th live process. */
  record Spawn(int index, CpuMask mask) implements Cmd {
    @Override
    public void apply(CidHarness h, Runnable check) {
      List<Integer> pids = h.livePids();
      if (!pids.isEmpty() && h.liveTids().size() < CidHarness.MAX_LIVE_TASKS) {
        h.newThread(pids.get(index % pids.size()), mask);
        check.run();
      }
    }
  }

  /** A new process (a new mm) with one thread. */
  record ForkMm(CpuMask mask) implements Cmd {
    @Override
    public void apply(CidHarness h, Runnable check) {
      if (h.livePids().size() < MAX_PROCESSES
          && h.liveTids().size() < CidHarness.MAX_LIVE_TASKS) {
        h.newProcess(mask);
        check.run();
      }
    }
  }

  record Exit(int index) implements Cmd {
    @Override
    public void apply(CidHarness h, Runnable check) {
      List<Integer> live = h.liveTids();
      if (!live.isEmpty()) {
        h.exit(live.get(index % live.size()));
        check.run();
      }
    }
  }

  /** The task running on {@code cpu} blocks: a switch-out (to another task or to idle). */
  record SwitchOut(int cpu) implements Cmd {
    @Override
    public void apply(CidHarness h, Runnable check) {
      h.sleep(cpu);
      check.run();
    }
  }

  /** A sleeping task wakes: it is queued and switched in where it preempts or finds idle. */
  record SwitchIn(int index) implements Cmd {
    @Override
    public void apply(CidHarness h, Runnable check) {
      List<Integer> sleeping = h.tidsIn(TaskState.SLEEPING);
      if (!sleeping.isEmpty()) {
        h.wake(sleeping.get(index % sleeping.size()));
        check.run();
      }
    }
  }

  record Yield(int cpu) implements Cmd {
    @Override
    public void apply(CidHarness h, Runnable check) {
      h.yield(cpu);
      check.run();
    }
  }

  /** A queued (runnable, not running) task is moved to {@code cpu} by pinning it there. */
  record Migrate(int index, int cpu) implements Cmd {
    @Override
    public void apply(CidHarness h, Runnable check) {
      List<Integer> queued = h.tidsIn(TaskState.RUNNABLE);
      if (!queued.isEmpty()) {
        h.setAffinity(queued.get(index % queued.size()), CpuMask.of(cpu));
        check.run();
      }
    }
  }

  /** Narrows or widens a live task's affinity. */
  record SetAffinity(int index, CpuMask mask) implements Cmd {
    @Override
    public void apply(CidHarness h, Runnable check) {
      List<Integer> live = h.liveTids();
      if (!live.isEmpty()) {
        h.setAffinity(live.get(index % live.size()), mask);
        check.run();
      }
    }
  }

  record Balance() implements Cmd {
    @Override
    public void apply(CidHarness h, Runnable check) {
      h.balance();
      check.run();
    }
  }

  record Exec(int cpu) implements Cmd {
    @Override
    public void apply(CidHarness h, Runnable check) {
      h.exec(cpu);
      check.run();
    }
  }

  record Tick(int n) implements Cmd {
    @Override
    public void apply(CidHarness h, Runnable check) {
      for (int i = 0; i < n; i++) {
        h.tick();
        check.run();
      }
    }
  }

  /** Time passes by {@code ms} milliseconds (rounded up to ticks), every CPU ticking. */
  record AdvanceTime(int ms) implements Cmd {
    @Override
    public void apply(CidHarness h, Runnable check) {
      long ticks = (Ticks.fromMillis(ms) + h.tickPs - 1) / h.tickPs;
      for (long i = 0; i < ticks; i++) {
        h.tick();
        check.run();
      }
    }
  }
}
