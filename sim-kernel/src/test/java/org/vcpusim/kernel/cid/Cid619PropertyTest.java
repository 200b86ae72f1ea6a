package org.vcpusim.kernel.cid;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.vcpusim.kernel.sched.SchedProcess;
import org.vcpusim.kernel.sched.SchedTask;
import org.vcpusim.kernel.sched.TaskState;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.topology.CpuMask;

/**
 * Property test of {@link MmCid619Allocator} over random command chains: spawn a thread or a
 * process, exit, block and wake, yield, set an affinity, tick (preemption), balance (migration),
 * exec, let time pass. The scheduler decides who runs where (one current task per CPU), so the
 * allocator sees the machine's event order. After every step {@link Cid619Harness#violations()}
 * must be empty: no two running tasks of one mm share an id, every id is below {@code
 * nr_cpu_ids}, every running user holds one, the bounds are the kernel's formulas, the mode agrees
 * with them (per-CPU only while {@code users >= pcpu_thrs >= 1}, per-task only while {@code users
 * <= max_cids}), no transition is left open, and each taken id has exactly one owner.
 */
class Cid619PropertyTest {
  /** Fixed so that a run is reproducible; vary it to explore. */
  private static final long SEED = 0x619_C1DL;

  /** Few CPUs, so that per-CPU mode is reached with few threads. */
  private static final int CPUS = 4;

  /** Enough live threads to cross max_cids = 4 of one mm and come back under pcpu_thrs = 2. */
  private static final int MAX_LIVE = 9;

  /** Processes the spawn commands choose among. */
  private static final int PROCESSES = 2;

  /** Relative frequencies of the command kinds, in {@link #decode}'s order. */
  private static final int[] WEIGHTS = {
    7, // spawn thread
    1, // spawn process
    4, // exit
    4, // sleep
    5, // wake
    3, // yield
    3, // set affinity
    6, // tick
    1, // balance
    1, // exec
    1, // time passes
  };

  /** One command: a kind and two arguments, decoded at run time against the live state. */
  record Cmd(int kind, int a, int b) {
    @Override
    public String toString() {
      String[] names = {
        "spawnThread", "spawnProcess", "exit", "sleep", "wake", "yield", "setAffinity", "tick",
        "balance", "exec", "time"
      };
      return names[kind] + "(" + a + "," + b + ")";
    }
  }

  /** Totals over all examples, to show the generator reaches the rules. */
  private static final class Coverage {
    long steps;
    long toPerCpu;
    long toPerTask;
    long convergences;
  }

  @Test
  void theAbiRulesAndTheModeRulesHoldAfterEveryStep() {
    Coverage cov = new Coverage();
    qt().withFixedSeed(SEED)
        .withExamples(1000)
        .withShrinkCycles(5000)
        .forAll(commands())
        .checkAssert(cmds -> run(cmds, cov));
    assertTrue(cov.steps > 40_000, "too few checked steps: " + cov.steps);
    assertTrue(cov.toPerCpu > 500, "per-CPU mode reached only " + cov.toPerCpu + " times");
    assertTrue(cov.toPerTask > 200, "switch back reached only " + cov.toPerTask + " times");
    assertTrue(cov.convergences > 100, "convergence reached only " + cov.convergences + " times");
  }

  private static void run(List<Cmd> cmds, Coverage cov) {
    Cid619Harness h = new Cid619Harness(CPUS);
    for (Cmd c : cmds) {
      apply(h, c);
      cov.steps++;
      List<String> v = h.violations();
      if (!v.isEmpty()) {
        throw new AssertionError("after " + c + ": " + String.join("; ", v));
      }
    }
    for (SchedProcess p : h.sched.processes()) {
      cov.toPerCpu += h.cid.switchesToPerCpu(p.id());
      cov.toPerTask += h.cid.switchesToPerTask(p.id());
      cov.convergences += h.cid.convergences(p.id());
    }
  }

  private static void apply(Cid619Harness h, Cmd c) {
    List<SchedTask> live =
        h.sched.tasks().stream().filter(t -> t.state().isLive()).toList();
    CpuMask mask = CpuMask.ofBits(1 + c.b() % ((1 << CPUS) - 1));
    switch (c.kind()) {
      case 0 -> {
        if (!live.isEmpty() && live.size() < MAX_LIVE) {
          Task sibling = h.task(live.get(c.a() % live.size()).id());
          h.spawnThread(sibling, mask);
        }
      }
      case 1 -> {
        long processes = h.sched.processes().stream().filter(p -> p.users() > 0).count();
        if (processes < PROCESSES && live.size() < MAX_LIVE) {
          h.spawnProcess(mask);
        }
      }
      case 2 -> {
        if (!live.isEmpty()) {
          h.exit(h.task(live.get(c.a() % live.size()).id()));
        }
      }
      case 3 -> h.sleep(c.a() % CPUS);
      case 4 -> {
        List<SchedTask> sleeping =
            live.stream().filter(t -> t.state() == TaskState.SLEEPING).toList();
        if (!sleeping.isEmpty()) {
          h.wake(h.task(sleeping.get(c.a() % sleeping.size()).id()));
        }
      }
      case 5 -> h.yield(c.a() % CPUS);
      case 6 -> {
        if (!live.isEmpty()) {
          h.setAffinity(h.task(live.get(c.a() % live.size()).id()), mask);
        }
      }
      case 7 -> h.ticks(1 + c.a() % 4);
      case 8 -> h.balance();
      case 9 -> {
        Task t = h.running(c.a() % CPUS);
        if (t != null) {
          h.exec(t);
        }
      }
      default -> h.advance(1 + c.a());
    }
  }

  /**
   * Commands drawn as three numbers each and decoded, so that shrinking one command never shifts
   * the next; a chain starts with a process so that something happens.
   */
  private static Gen<List<Cmd>> commands() {
    int total = 0;
    for (int w : WEIGHTS) {
      total += w;
    }
    Gen<Integer> arg = integers().between(0, 1 << 16);
    Gen<Cmd> any = integers().between(0, total - 1).zip(arg, arg, Cid619PropertyTest::decode);
    return lists()
        .of(any)
        .ofSizeBetween(1, 100)
        .map(l -> {
          List<Cmd> withStart = new ArrayList<>();
          withStart.add(new Cmd(1, 0, 14)); // a process allowed on every CPU
          withStart.addAll(l);
          return withStart;
        })
        .describedAs(l -> l.stream().map(Cmd::toString).collect(Collectors.joining(", ")));
  }

  private static Cmd decode(int k, int a, int b) {
    int kind = 0;
    for (int rest = k; rest >= WEIGHTS[kind]; kind++) {
      rest -= WEIGHTS[kind];
    }
    return new Cmd(kind, a, b);
  }
}
