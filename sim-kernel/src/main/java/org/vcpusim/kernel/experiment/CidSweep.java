package org.vcpusim.kernel.experiment;

import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.vcpusim.core.random.RandomStream;
import org.vcpusim.core.stats.Counter;
import org.vcpusim.core.stats.LongGauge;
import org.vcpusim.core.stats.Stat;
import org.vcpusim.core.stats.StatsRegistry;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.kernel.check.CheckKind;
import org.vcpusim.kernel.check.PerIdRegions;
import org.vcpusim.kernel.cid.CidAllocators;
import org.vcpusim.kernel.cid.MmCidAllocator;
import org.vcpusim.kernel.gsmode.GsCosts;
import org.vcpusim.kernel.machine.Machine;
import org.vcpusim.kernel.machine.MachineConfig;
import org.vcpusim.kernel.machine.ProcessOptions;
import org.vcpusim.kernel.machine.RunOutcome;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.topology.CpuMask;
import org.vcpusim.kernel.topology.CpuTopology;

/**
 * The allocator sweep of issue 5 ("Done when" 2): one process of {@code threads} threads running
 * {@link GsCounterProgram} in the GS mode on a flat machine of {@code cpus} CPUs, for a simulated
 * duration, under one concurrency-id allocator; the machine is built with every default (Linux
 * scheduler tunables, legacy rseq id updates, the GS access checker and whatever other checkers
 * the machine turns on by default), so the run is checked by all of them.
 *
 * <p>The per-cid regions are declared to the per-id region checker ({@link PerIdRegions}, indexed
 * by {@code mm_cid}) before the first instruction.
 *
 * <p><b>Run.</b> The first thread maps the per-cid regions and sets the mode; once it reported
 * success the driver spawns the other workers. Every {@link #AFFINITY_PERIOD_PS} the driver pins
 * one thread (chosen at random) to a random set of 1 to {@code cpus / 2} CPUs and, once {@link
 * #MAX_PINNED} threads are pinned, gives the longest-pinned one all CPUs back: forced migrations
 * and changes of {@code nr_cpus_allowed} on top of the scheduler's own wake-up placement and
 * balancing. At the end of the duration the figures are taken; then the driver sets {@link
 * GsCounterProgram#STOP} and runs until every worker exited (at most {@link #DRAIN_LIMIT_PS}), and
 * compares the per-cid counters' sum with the increments the workers counted.
 *
 * <p>Deterministic: every choice comes from the machine's seeded {@code RandomStreams} (stream
 * {@value #DRIVER_STREAM}).
 *
 * <p><b>Caveats:</b> throws {@link IllegalStateException} if the program's setup fails (the mmap
 * or the prctl), which would be a bug of the program or of the machine, not a measurement.
 */
public final class CidSweep {
  /** How often the driver changes one thread's affinity: 5 ms, 200 changes per second. */
  public static final long AFFINITY_PERIOD_PS = Ticks.fromMillis(5);
  /** Threads pinned at once: 4 of 64, so most threads roam while a few are held in place. */
  public static final int MAX_PINNED = 4;
  /**
   * How long the workers get to exit after the stop: 10 ms, five times the longest sleep of
   * {@link GsCounterProgram#MAX_SLEEP_NS}.
   */
  public static final long DRAIN_LIMIT_PS = Ticks.fromMillis(10);
  /** Setup polling step: 1 µs, a few thousand instructions. */
  static final long SETUP_STEP_PS = Ticks.fromMicros(1);
  /** Setup time limit: 1 ms; the setup is two system calls. */
  static final long SETUP_LIMIT_PS = Ticks.fromMillis(1);
  /** What the checkers call the per-cid regions ({@code PerIdRegions.name}). */
  public static final String REGIONS_NAME = "gs_counter";
  /** The driver's random stream. */
  public static final String DRIVER_STREAM = "cid-sweep.driver";

  /**
   * The shape of a run.
   *
   * @param cpus CPUs of the flat machine
   * @param threads threads of the process (the first one included)
   * @param seed the machine's seed
   * @param durationPs the measured simulated time
   * @param profile the CPU profile (its {@code features.fsgsbase} picks the GS write regime)
   */
  public record Params(int cpus, int threads, long seed, long durationPs, CpuProfile profile) {
    public Params {
      Objects.requireNonNull(profile);
      if (cpus < 2 || threads < 1 || durationPs <= 0) {
        throw new IllegalArgumentException(
            "need cpus >= 2, threads >= 1, duration > 0: " + cpus + ", " + threads + ", "
                + durationPs);
      }
    }
  }

  private CidSweep() {}

  /** Runs {@code params} under the allocator called {@code allocator} ({@code CidAllocators}). */
  public static CidSweepResult run(String allocator, Params params) {
    return run(allocator, params, m -> {});
  }

  /**
   * {@link #run(String, Params)}, handing the machine to {@code instrument} before anything runs
   * on it (to add observers or listeners; they must not change what the machine does).
   */
  public static CidSweepResult run(String allocator, Params params, Consumer<Machine> instrument) {
    Machine m = new Machine(
        MachineConfig.builder(CpuTopology.flat(params.cpus()), params.profile())
            .seed(params.seed())
            .cidAllocator(CidAllocators.byName(allocator))
            .build());
    instrument.accept(m);
    return new CidSweep.Run(m, allocator, params).execute();
  }

  /** One run's state. */
  private static final class Run {
    private final Machine m;
    private final String allocator;
    private final Params params;
    private final RandomStream random;
    private final AssembledProgram program;
    private final Task[] pinned = new Task[MAX_PINNED];
    private int pinnedCount;
    private long affinityChanges;
    private Process process;

    Run(Machine m, String allocator, Params params) {
      this.m = m;
      this.allocator = allocator;
      this.params = params;
      this.random = m.random().stream(DRIVER_STREAM);
      this.program = GsCounterProgram.assemble(params.cpus());
    }

    CidSweepResult execute() {
      process = m.spawnProcess("gs_counter", program, ProcessOptions.defaults()
          .withEntry(GsCounterProgram.ENTRY_MAIN).withArgs(random.nextLong()));
      m.checkers().declareRegions(process.pid(), new PerIdRegions(REGIONS_NAME,
          GsCounterProgram.ORIGIN, GsCounterProgram.STRIDE, params.cpus(),
          PerIdRegions.Index.MM_CID));
      long status = GsCounterProgram.SETUP_PENDING;
      while (status == GsCounterProgram.SETUP_PENDING && m.now() < SETUP_LIMIT_PS) {
        m.runFor(SETUP_STEP_PS);
        status = read(program.address(GsCounterProgram.SETUP_STATUS));
      }
      if (status != 0) {
        throw new IllegalStateException("setup of " + GsCounterProgram.class.getSimpleName()
            + " failed: status " + status + ", findings " + m.findings());
      }
      for (int i = 1; i < params.threads(); i++) {
        m.spawnThread(process, GsCounterProgram.ENTRY_WORKER, new long[] {random.nextLong()},
            null, "w" + i);
      }
      long end = params.durationPs();
      while (m.now() < end) {
        m.runUntil(Math.min(end, m.now() + AFFINITY_PERIOD_PS));
        if (m.now() < end) {
          changeAffinity();
        }
      }
      return measure();
    }

    /** Pins one random thread to a random CPU set; frees the longest-pinned one at the limit. */
    private void changeAffinity() {
      if (pinnedCount == MAX_PINNED) {
        Task oldest = pinned[0];
        System.arraycopy(pinned, 1, pinned, 0, MAX_PINNED - 1);
        pinnedCount--;
        setAffinity(oldest, m.topology().all());
      }
      Task t = process.threads().get(random.nextInt(process.threads().size()));
      int cpus = params.cpus();
      int weight = 1 + random.nextInt(cpus / 2);
      CpuMask mask = CpuMask.empty();
      while (mask.weight() < weight) {
        mask = mask.with(random.nextInt(cpus));
      }
      setAffinity(t, mask);
      pinned[pinnedCount++] = t;
    }

    private void setAffinity(Task t, CpuMask mask) {
      int rc = m.setAffinity(t, mask);
      if (rc != 0) {
        throw new IllegalStateException("setAffinity(" + t + ", " + mask + ") = " + rc);
      }
      affinityChanges++;
    }

    private CidSweepResult measure() {
      int pid = process.pid();
      StatsRegistry stats = m.stats();
      long changes = 0;
      long switchIns = 0;
      for (Task t : process.threads()) {
        changes += m.cid().changes(t.tid());
        switchIns += m.cid().switchIns(t.tid());
      }
      List<String> prefixes = List.of(MmCidAllocator.statsPrefix(allocator, pid));
      TreeMap<String, Long> policy = new TreeMap<>();
      for (String name : stats.names()) {
        for (String prefix : prefixes) {
          if (!name.startsWith(prefix)) {
            continue;
          }
          Stat s = stats.find(name).orElseThrow();
          if (s instanceof LongGauge g) {
            policy.put(name.substring(prefix.length()), g.value());
          } else if (s instanceof Counter c) {
            policy.put(name.substring(prefix.length()), c.value());
          }
          break;
        }
      }
      GsCosts gs = m.gsMode().costs();
      long instructions = 0;
      long busy = 0;
      for (int cpu = 0; cpu < params.cpus(); cpu++) {
        instructions += m.core(cpu).retiredInstructions();
        busy += m.now() - m.idlePs(cpu);
      }
      long simulated = m.now();
      long migrations = stats.counter("sched.migrations").value();
      long aborts = m.rseq().totalAborts();
      long writes = gs.writes();
      long afterSwitchIn = gs.writesAfterSwitchIn();
      long wrgsbase = gs.writeCyclesIf(GsCosts.Regime.WRGSBASE);
      long wrmsr = gs.writeCyclesIf(GsCosts.Regime.WRMSR);
      long loads = gs.switchLoads();
      long loadWrgsbase = gs.switchLoadCyclesIf(GsCosts.Regime.WRGSBASE);
      long loadWrmsr = gs.switchLoadCyclesIf(GsCosts.Regime.WRMSR);

      process.addressSpace().store(program.address(GsCounterProgram.STOP), 8, 1);
      boolean drained = m.runFor(DRAIN_LIMIT_PS) == RunOutcome.ALL_EXITED;
      long sum = 0;
      for (int cid = 0; cid < params.cpus(); cid++) {
        sum += read(GsCounterProgram.ORIGIN + cid * GsCounterProgram.STRIDE
            + GsCounterProgram.COUNTER_OFFSET);
      }
      return new CidSweepResult(allocator, params.cpus(), params.threads(), params.seed(),
          simulated, m.cid().highWater(pid), m.cid().idsUsed(pid), changes, switchIns,
          migrations, affinityChanges, policy, writes, afterSwitchIn, wrgsbase, wrmsr, loads,
          loadWrgsbase, loadWrmsr, aborts, instructions, busy, drained,
          read(program.address(GsCounterProgram.OPS_TOTAL)), sum,
          read(program.address(GsCounterProgram.ABORTS_SEEN)), m.rseq().totalAborts(),
          checkViolations(), m.findings());
    }

    /** Violations per check kind the machine runs, by {@link CheckKind#id()}. */
    private TreeMap<String, Long> checkViolations() {
      TreeMap<String, Long> v = new TreeMap<>();
      for (CheckKind k : CheckKind.values()) {
        if (m.checkers().config().isEnabled(k)) {
          v.put(k.id(), m.checkers().violations(k));
        }
      }
      return v;
    }

    private long read(long address) {
      AddressSpace s = process.addressSpace();
      long v = s.load(address, 8);
      if (s.hasFault()) {
        s.clearFault();
        throw new IllegalStateException("cannot read 0x" + Long.toHexString(address));
      }
      return v;
    }
  }
}
