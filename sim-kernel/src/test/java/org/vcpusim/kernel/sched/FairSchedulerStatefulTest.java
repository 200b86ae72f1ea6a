package org.vcpusim.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.core.stateful.Command;
import org.quicktheories.core.stateful.Sequential;
import org.vcpusim.kernel.topology.CpuMask;
import org.vcpusim.kernel.topology.CpuTopology;

/**
 * Stateful property test of {@link FairScheduler} with QuickTheories' sequential commands: random
 * sequences of spawn, exit, sleep, wake, yield, set-affinity, set-cpuset, schedule, balance and
 * tick run through a {@link SchedHarness} that plays the machine. After every step (every tick of
 * a multi-tick command included) the harness checks {@link SchedInvariants} — a task runs on at
 * most one CPU and only on allowed CPUs, run-queue accounting matches, no runnable task is lost —
 * and that no runnable task has waited past the bound derived in {@link SchedHarness}.
 *
 * <p>The model ({@link Model}) is what the command sequence alone determines: which tasks exist,
 * their processes, requested and effective masks, liveness, each process's cpuset, users count and
 * grow-only allowed mask. After every command QuickTheories compares it with the same projection
 * of the scheduler. Which task runs where is the scheduler's choice, so commands that target the
 * running or sleeping task of a CPU resolve their target against the scheduler at run time.
 */
class FairSchedulerStatefulTest {
  /** Fixed so that a run is reproducible; vary it to explore. */
  private static final long SEED = 0x5C4ED_2026L;

  private static final int MAX_LIVE_TASKS = 10;
  private static final int PROCESSES = 3;

  /** 2 sockets × 1 core × 2 threads, siblings {0,2} and {1,3}: SMT, LLC and socket all matter. */
  private static final CpuTopology SMT_TOPOLOGY =
      CpuTopology.of(2, 1, 2, 1, CpuTopology.Numbering.THREAD_MAJOR);

  private static final CpuTopology FLAT_TOPOLOGY = CpuTopology.flat(3);

  @Test
  void invariantsAndBoundedWaitHoldForRandomCommandSequences() {
    SchedParams params = SchedParams.linuxDefaults(SMT_TOPOLOGY.nrCpus(), 2000);
    Stats stats = new Stats();
    qt().withFixedSeed(SEED)
        .withExamples(1000)
        .withShrinkCycles(20000)
        .forAll(commands(SMT_TOPOLOGY.nrCpus(), false))
        .checkAssert(
            cmds ->
                Sequential.modelCheck(
                    Model.initial(SMT_TOPOLOGY, params),
                    cmds,
                    m -> stats.track(new SchedHarness(SMT_TOPOLOGY, params)),
                    Model::of));
    // The generator must actually reach the situations the checks are about.
    assertTrue(stats.steps() > 100_000, "too few checked steps: " + stats.steps());
    assertTrue(stats.maxWaitRatio() > 0.05, "waits never approached the bound");
  }

  @Test
  void invariantsHoldWithMixedNiceLevels() {
    SchedParams params = SchedParams.linuxDefaults(FLAT_TOPOLOGY.nrCpus(), 2000).withHz(1000);
    Stats stats = new Stats();
    qt().withFixedSeed(SEED + 1)
        .withExamples(Integer.getInteger("vcpusim.qt.examples", 300))
        .withShrinkCycles(20000)
        .forAll(commands(FLAT_TOPOLOGY.nrCpus(), true))
        .checkAssert(
            cmds ->
                Sequential.modelCheck(
                    Model.initial(FLAT_TOPOLOGY, params),
                    cmds,
                    m -> {
                      SchedHarness h = stats.track(new SchedHarness(FLAT_TOPOLOGY, params));
                      h.checkWaitBound = false;
                      return h;
                    },
                    Model::of));
    assertTrue(stats.steps() > 20_000, "too few checked steps: " + stats.steps());
  }

  // ---------------------------------------------------------------- generators

  /** Relative frequencies of the command kinds; {@link Nop} must stay first (see below). */
  private static final int[] WEIGHTS = {
    1, // Nop
    6, // Spawn
    2, // Exit
    5, // Sleep
    6, // Wake
    3, // Yield
    3, // SetAffinity
    2, // SetCpuset
    1, // Schedule
    1, // Balance
    10, // Tick
  };

  private static final int[] NICE_BY_RANK = {0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5};

  /**
   * Every command is drawn as the same five numbers — a kind and four arguments — and decoded, so
   * that shrinking one command never shifts the draws of the next. Each number shrinks towards 0,
   * the kind towards {@link Nop}: a shrunk failure keeps only the commands that matter, and its
   * description leaves the Nops out.
   */
  private static Gen<List<Cmd>> commands(int nrCpus, boolean randomNice) {
    int total = 0;
    for (int w : WEIGHTS) {
      total += w;
    }
    Gen<Integer> arg = integers().between(0, 1 << 16);
    Gen<Cmd> any =
        integers()
            .between(0, total - 1)
            .zip(arg, arg, arg, arg, (k, a, b, c, d) -> decode(k, a, b, c, d, nrCpus, randomNice));
    return lists()
        .of(any)
        .ofSizeBetween(1, 150)
        .describedAs(
            cmds ->
                cmds.stream()
                    .filter(c -> !(c instanceof Nop))
                    .map(Object::toString)
                    .collect(Collectors.joining(", ", "[", "]")));
  }

  private static Cmd decode(int k, int a, int b, int c, int d, int nrCpus, boolean randomNice) {
    int maskBits = (1 << nrCpus) - 1;
    int kind = 0;
    for (int rest = k; rest >= WEIGHTS[kind]; kind++) {
      rest -= WEIGHTS[kind];
    }
    switch (kind) {
      case 0:
        return new Nop();
      case 1:
        return new Spawn(
            1 + a % PROCESSES,
            CpuMask.ofBits(1 + b % maskBits),
            c % (MAX_LIVE_TASKS + 1) - 1,
            randomNice ? NICE_BY_RANK[d % NICE_BY_RANK.length] : 0);
      case 2:
        return new Exit(a % MAX_LIVE_TASKS);
      case 3:
        return new Sleep(a % nrCpus);
      case 4:
        return new Wake(a % MAX_LIVE_TASKS);
      case 5:
        return new Yield(a % nrCpus);
      case 6:
        return new SetAffinity(a % MAX_LIVE_TASKS, CpuMask.ofBits(b % (maskBits + 1)));
      case 7:
        return new SetCpuset(1 + a % PROCESSES, CpuMask.ofBits(b % (maskBits + 1)));
      case 8:
        return new Schedule(a % nrCpus);
      case 9:
        return new Balance();
      default:
        return new Tick(1 + a % 6);
    }
  }

  // ---------------------------------------------------------------- model

  /** What the command sequence alone determines about one task. */
  record TaskModel(int pid, CpuMask requested, CpuMask effective, boolean live) {}

  /** What the command sequence alone determines about the scheduler; equal to its projection. */
  record Model(
      CpuMask machine,
      long tickPs,
      long now,
      SortedMap<Integer, TaskModel> tasks,
      SortedMap<Integer, CpuMask> cpusets,
      SortedMap<Integer, Integer> users,
      SortedMap<Integer, CpuMask> growOnly) {

    static Model initial(CpuTopology topology, SchedParams params) {
      return new Model(
          topology.all(),
          params.tickPeriodPs(),
          0,
          Collections.emptySortedMap(),
          Collections.emptySortedMap(),
          Collections.emptySortedMap(),
          Collections.emptySortedMap());
    }

    /** The projection of the scheduler the model must equal. */
    static Model of(SchedHarness h) {
      SortedMap<Integer, TaskModel> tasks = new TreeMap<>();
      for (SchedTask t : h.sched.tasks()) {
        tasks.put(
            t.id(),
            new TaskModel(t.processId(), t.userMask(), t.cpusAllowed(), t.state().isLive()));
      }
      SortedMap<Integer, CpuMask> cpusets = new TreeMap<>();
      SortedMap<Integer, Integer> users = new TreeMap<>();
      SortedMap<Integer, CpuMask> growOnly = new TreeMap<>();
      for (SchedProcess p : h.sched.processes()) {
        cpusets.put(p.id(), p.cpuset());
        users.put(p.id(), p.users());
        growOnly.put(p.id(), p.cpusAllowedGrowOnly());
      }
      return new Model(
          h.sched.topology().all(), h.tickPs, h.now, tasks, cpusets, users, growOnly);
    }

    List<Integer> liveIds() {
      List<Integer> ids = new ArrayList<>();
      tasks.forEach((id, t) -> {
        if (t.live()) {
          ids.add(id);
        }
      });
      return ids;
    }

    Model with(
        long newNow,
        Map<Integer, TaskModel> newTasks,
        Map<Integer, CpuMask> newCpusets,
        Map<Integer, CpuMask> newGrowOnly) {
      SortedMap<Integer, Integer> newUsers = new TreeMap<>();
      newCpusets.keySet().forEach(p -> newUsers.put(p, 0));
      newTasks.values().forEach(t -> {
        if (t.live()) {
          newUsers.merge(t.pid(), 1, Integer::sum);
        }
      });
      return new Model(
          machine,
          tickPs,
          newNow,
          Collections.unmodifiableSortedMap(new TreeMap<>(newTasks)),
          Collections.unmodifiableSortedMap(new TreeMap<>(newCpusets)),
          Collections.unmodifiableSortedMap(newUsers),
          Collections.unmodifiableSortedMap(new TreeMap<>(newGrowOnly)));
    }

    static CpuMask effective(CpuMask requested, CpuMask cpuset) {
      CpuMask both = requested.and(cpuset);
      return both.isEmpty() ? cpuset : both;
    }
  }

  // ---------------------------------------------------------------- commands

  /** A command of the sequence; {@code toString} is what a shrunk failure prints. */
  interface Cmd extends Command<SchedHarness, Model> {}

  record Nop() implements Cmd {
    @Override
    public void run(SchedHarness h) {}

    @Override
    public Model nextState(Model m) {
      return m;
    }
  }

  /** Creates a task; {@code parent} is -1 (none) or picks a live task as the parent. */
  record Spawn(int pid, CpuMask mask, int parent, int nice) implements Cmd {
    @Override
    public void run(SchedHarness h) {
      List<SchedTask> live = h.sched.tasks().stream().filter(t -> t.state().isLive()).toList();
      if (live.size() < MAX_LIVE_TASKS) {
        int id = h.sched.tasks().size() + 1;
        int parentId = parent < 0 || live.isEmpty() ? -1 : live.get(parent % live.size()).id();
        h.step(() -> h.sched.spawn(id, pid, mask, nice, parentId, h.now));
      }
    }

    @Override
    public Model nextState(Model m) {
      if (m.liveIds().size() >= MAX_LIVE_TASKS) {
        return m;
      }
      CpuMask all = m.machine();
      CpuMask requested = mask.and(all);
      CpuMask cpuset = m.cpusets().getOrDefault(pid, all);
      CpuMask eff = Model.effective(requested, cpuset);
      TreeMap<Integer, TaskModel> tasks = new TreeMap<>(m.tasks());
      tasks.put(m.tasks().size() + 1, new TaskModel(pid, requested, eff, true));
      TreeMap<Integer, CpuMask> cpusets = new TreeMap<>(m.cpusets());
      cpusets.putIfAbsent(pid, all);
      TreeMap<Integer, CpuMask> grow = new TreeMap<>(m.growOnly());
      grow.merge(pid, eff, CpuMask::or);
      return m.with(m.now(), tasks, cpusets, grow);
    }
  }

  record Exit(int index) implements Cmd {
    @Override
    public void run(SchedHarness h) {
      List<SchedTask> live = h.sched.tasks().stream().filter(t -> t.state().isLive()).toList();
      if (!live.isEmpty()) {
        int id = live.get(index % live.size()).id();
        h.step(() -> h.sched.exit(id, h.now));
      }
    }

    @Override
    public Model nextState(Model m) {
      List<Integer> live = m.liveIds();
      if (live.isEmpty()) {
        return m;
      }
      int id = live.get(index % live.size());
      TreeMap<Integer, TaskModel> tasks = new TreeMap<>(m.tasks());
      TaskModel t = tasks.get(id);
      tasks.put(id, new TaskModel(t.pid(), t.requested(), t.effective(), false));
      return m.with(m.now(), tasks, m.cpusets(), m.growOnly());
    }
  }

  record Sleep(int cpu) implements Cmd {
    @Override
    public void run(SchedHarness h) {
      SchedTask curr = h.sched.current(cpu);
      if (curr != null) {
        h.step(() -> h.sched.sleep(curr.id(), h.now));
      }
    }

    @Override
    public Model nextState(Model m) {
      return m;
    }
  }

  record Wake(int index) implements Cmd {
    @Override
    public void run(SchedHarness h) {
      List<SchedTask> sleeping =
          h.sched.tasks().stream().filter(t -> t.state() == TaskState.SLEEPING).toList();
      if (!sleeping.isEmpty()) {
        int id = sleeping.get(index % sleeping.size()).id();
        h.step(() -> h.sched.wake(id, h.now));
      }
    }

    @Override
    public Model nextState(Model m) {
      return m;
    }
  }

  record Yield(int cpu) implements Cmd {
    @Override
    public void run(SchedHarness h) {
      if (h.sched.current(cpu) != null) {
        h.step(() -> h.sched.yield(cpu, h.now));
      }
    }

    @Override
    public Model nextState(Model m) {
      return m;
    }
  }

  record SetAffinity(int index, CpuMask mask) implements Cmd {
    @Override
    public void run(SchedHarness h) {
      List<SchedTask> live = h.sched.tasks().stream().filter(t -> t.state().isLive()).toList();
      if (!live.isEmpty()) {
        int id = live.get(index % live.size()).id();
        h.step(() -> h.sched.setAffinity(id, mask, h.now));
      }
    }

    @Override
    public Model nextState(Model m) {
      List<Integer> live = m.liveIds();
      if (live.isEmpty()) {
        return m;
      }
      int id = live.get(index % live.size());
      TaskModel t = m.tasks().get(id);
      CpuMask requested = mask.and(m.machine());
      CpuMask eff = requested.and(m.cpusets().get(t.pid()));
      if (eff.isEmpty()) {
        return m;
      }
      TreeMap<Integer, TaskModel> tasks = new TreeMap<>(m.tasks());
      tasks.put(id, new TaskModel(t.pid(), requested, eff, true));
      TreeMap<Integer, CpuMask> grow = new TreeMap<>(m.growOnly());
      grow.merge(t.pid(), eff, CpuMask::or);
      return m.with(m.now(), tasks, m.cpusets(), grow);
    }
  }

  record SetCpuset(int pid, CpuMask mask) implements Cmd {
    @Override
    public void run(SchedHarness h) {
      h.step(() -> h.sched.setCpuset(pid, mask, h.now));
    }

    @Override
    public Model nextState(Model m) {
      CpuMask cpuset = mask.and(m.machine());
      if (cpuset.isEmpty()) {
        return m;
      }
      TreeMap<Integer, TaskModel> tasks = new TreeMap<>(m.tasks());
      TreeMap<Integer, CpuMask> grow = new TreeMap<>(m.growOnly());
      grow.putIfAbsent(pid, CpuMask.empty());
      m.tasks().forEach((id, t) -> {
        if (t.live() && t.pid() == pid) {
          CpuMask eff = Model.effective(t.requested(), cpuset);
          tasks.put(id, new TaskModel(pid, t.requested(), eff, true));
          grow.merge(pid, eff, CpuMask::or);
        }
      });
      TreeMap<Integer, CpuMask> cpusets = new TreeMap<>(m.cpusets());
      cpusets.put(pid, cpuset);
      return m.with(m.now(), tasks, cpusets, grow);
    }
  }

  record Schedule(int cpu) implements Cmd {
    @Override
    public void run(SchedHarness h) {
      h.step(() -> h.sched.schedule(cpu, h.now));
    }

    @Override
    public Model nextState(Model m) {
      return m;
    }
  }

  record Balance() implements Cmd {
    @Override
    public void run(SchedHarness h) {
      h.step(() -> h.sched.balance(h.now));
    }

    @Override
    public Model nextState(Model m) {
      return m;
    }
  }

  record Tick(int n) implements Cmd {
    @Override
    public void run(SchedHarness h) {
      h.ticks(n);
    }

    @Override
    public Model nextState(Model m) {
      return m.with(m.now() + n * m.tickPs(), m.tasks(), m.cpusets(), m.growOnly());
    }
  }

  /** Counts steps and the worst wait over every harness of one property. */
  private static final class Stats {
    private final List<SchedHarness> harnesses = new ArrayList<>();

    SchedHarness track(SchedHarness h) {
      harnesses.add(h);
      h.recordEvents = false;
      return h;
    }

    long steps() {
      return harnesses.stream().mapToLong(h -> h.steps).sum();
    }

    double maxWaitRatio() {
      return harnesses.stream().mapToDouble(h -> h.maxWaitRatio).max().orElse(0);
    }
  }
}
