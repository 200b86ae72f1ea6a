package org.vcpusim.scenarios.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import org.vcpusim.core.stats.Distribution;
import org.vcpusim.core.stats.StatsRegistry;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.kernel.check.CheckConfig;
import org.vcpusim.kernel.gsmode.GsModeTunable;
import org.vcpusim.kernel.machine.Finding;
import org.vcpusim.kernel.machine.Machine;
import org.vcpusim.kernel.machine.MachineConfig;
import org.vcpusim.kernel.machine.RunOutcome;
import org.vcpusim.kernel.rseq.RseqEvent;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.topology.CpuMask;
import org.vcpusim.scenarios.result.CycleStack;
import org.vcpusim.scenarios.result.VariantNotes;
import org.vcpusim.scenarios.result.VariantResult;
import org.vcpusim.scenarios.result.Violation;
import org.vcpusim.scenarios.scenario.Abi;
import org.vcpusim.scenarios.scenario.CheckKind;
import org.vcpusim.scenarios.scenario.LibcGsTunable;
import org.vcpusim.scenarios.scenario.Pin;
import org.vcpusim.scenarios.scenario.ProcessGroupSpec;
import org.vcpusim.scenarios.scenario.Scenario;
import org.vcpusim.scenarios.scenario.Spelled;
import org.vcpusim.scenarios.scenario.VariantSpec;
import org.vcpusim.scenarios.scenario.WorkloadSpec;
import org.vcpusim.scenarios.trace.ScheduleRecorder;
import org.vcpusim.scenarios.workload.Disturbance;
import org.vcpusim.scenarios.workload.Disturbances;
import org.vcpusim.scenarios.workload.OpMeter;
import org.vcpusim.scenarios.workload.WorkloadImage;
import org.vcpusim.scenarios.workload.WorkloadRun;

/**
 * One variant of a scenario from machine to {@link VariantResult}: builds the machine ({@link
 * MachineSetup}), starts every process of every group with its workload in the variant's ABI
 * ({@link WorkloadImage}, {@link WorkloadRun}), runs it in {@link #SLICE_PS} slices applying the
 * disturbances due in each (one merged, time-ordered schedule for all processes, from the named
 * random stream of {@link Disturbances}), stops the workers (after their ops, or at the end of
 * the simulated duration through their stop word), runs the end-of-run checks and turns the
 * machine's figures and findings into the result.
 *
 * <p>What the result's figures are:
 *
 * <ul>
 *   <li>ops, cycles per op (mean, p50, p99 of the merged per-op histograms), instructions and
 *       loads per op: the {@link OpMeter}s of the workload processes;
 *   <li>{@code cycle_stack}: user cycles split by the meters into fast path, slow path and abort
 *       restart (the driver's own cycles — op choice, think time, bookkeeping — are left out: they
 *       are not the cost of any ABI), and the machine's kernel categories summed over the CPUs;
 *   <li>{@code rseq_aborts}: per attributed cause; {@code cid_changes}, {@code max_cid}: the cid
 *       accounting of the workload processes; {@code gs_writes}: kernel GS-base writes by the GS
 *       mode; {@code footprint_bytes}: per-id regions the workload touched × their stride;
 *   <li>{@code violations}: every finding of the machine (fatal signals as {@code fatal_signal},
 *       checker findings by the kind their message starts with) and of the workload checks, in
 *       tick order, each with the schedule excerpt of its CPU.
 * </ul>
 *
 * <p><b>Caveats:</b> one use per instance; runs on the calling thread.
 */
final class VariantRunner {
  /** Simulated time between two looks at the run (disturbance schedule, progress, stop test). */
  static final long SLICE_PS = Ticks.PER_MILLISECOND;
  /**
   * Time the workers get after the stop word to finish their op and exit: longer than any sleep
   * or think time a scenario can ask for in the bundled library, short enough not to matter.
   */
  static final long GRACE_PS = 50 * Ticks.PER_MILLISECOND;
  /**
   * Simulated-time bound of an ops-bounded run: a run whose workers have not done their ops by
   * then is stopped and reported (a livelock or a starved thread is a result, not a hang).
   */
  static final long OPS_RUN_LIMIT_PS = 60 * Ticks.PER_SECOND;
  /** Significant digits of the merged cycles-per-op histogram (0.1% resolution, as the meters'). */
  static final int CYCLE_DIGITS = 3;

  /** What a variant run gives the scenario runner. */
  record Outcome(VariantResult result, long instructions, long events,
      ScheduleRecorder recorder) {}

  private final Scenario scenario;
  private final VariantSpec variant;
  private final Progress progress;
  private final boolean trace;
  private final String label;

  VariantRunner(Scenario scenario, VariantSpec variant, Progress progress, boolean trace, int index,
      int of) {
    this.scenario = scenario;
    this.variant = variant;
    this.progress = progress;
    this.trace = trace;
    this.label = String.format(Locale.ROOT, "[%d/%d] %s", index + 1, of, variant.name());
  }

  Outcome run() {
    CpuProfile profile = MachineSetup.profile(scenario);
    MachineConfig.Builder config = MachineSetup.config(scenario, variant, scenario.seed());
    config.checks(kernelChecks());
    Machine machine = new Machine(config.build());
    ScheduleRecorder recorder =
        ScheduleRecorder.attach(machine, trace ? ScheduleRecorder.DEFAULT_MAX_EVENTS : 1);

    List<WorkloadRun> runs = start(machine);
    boolean byOps = scenario.duration().byOps();
    long end = byOps ? OPS_RUN_LIMIT_PS : scenario.duration().simulatedPs();
    List<Violation> extra = new ArrayList<>();
    long t = machine.now();
    while (t < end) {
      long sliceEnd = Math.min(end, t + SLICE_PS);
      if (runSlice(machine, runs, t, sliceEnd) == RunOutcome.ALL_EXITED) {
        break;
      }
      t = sliceEnd;
      progress.update(label, byOps ? opsFraction(runs) : (double) t / end, instructions(machine));
    }
    if (byOps && !allExited(runs)) {
      extra.add(new Violation("workload_setup", machine.now(), -1, -1, String.format(Locale.ROOT,
          "the workers had not done their %d ops after %d ms of simulated time",
          scenario.duration().amount(), OPS_RUN_LIMIT_PS / Ticks.PER_MILLISECOND)));
    }
    for (WorkloadRun r : runs) {
      r.finish(GRACE_PS);
    }
    recorder.finish(machine.now());
    for (WorkloadRun r : runs) {
      for (org.vcpusim.scenarios.workload.Violation v : r.check()) {
        if (checkEnabled(v.kind())) {
          extra.add(new Violation(v.kind(), v.tick(), v.cpu(), v.task(), v.message()));
        }
      }
    }
    VariantResult result = result(machine, profile, runs, recorder, extra);
    return new Outcome(result, instructions(machine), machine.eventsFired(), recorder);
  }

  /** The kernel checkers the scenario leaves on. */
  private CheckConfig kernelChecks() {
    CheckConfig c = CheckConfig.defaults();
    for (org.vcpusim.kernel.check.CheckKind k : org.vcpusim.kernel.check.CheckKind.values()) {
      if (!checkEnabled(k.id())) {
        c = c.without(k);
      }
    }
    return c;
  }

  private List<WorkloadRun> start(Machine machine) {
    List<WorkloadRun> runs = new ArrayList<>();
    int nrIds = machine.topology().nrCpus();
    long threadSeed = scenario.seed();
    for (ProcessGroupSpec g : scenario.processes()) {
      WorkloadSpec w = scenario.workloadOf(g);
      for (int p = 0; p < g.count(); p++) {
        WorkloadImage.Options o = WorkloadImage.Options.of(g.threads(), threadSeed++, nrIds,
            scenario.duration().byOps() ? scenario.duration().amount() : 0,
            machine.frequencyHz());
        // The group's gs_mode (stride, origin) is what the GS variant asks the kernel for; the
        // other variants keep the default layout, which is what their libraries would use.
        if (variant.abi() == Abi.GS_MM_CID && g.gsMode().enabled()) {
          o = o.withStrideAndOrigin(g.gsMode().stride(), g.gsMode().origin());
        }
        o = o.withGsPrctl(variant.abi() == Abi.GS_MM_CID && g.gsMode().enabled());
        WorkloadImage image = WorkloadImage.build(w, variant.abi(), o);
        String name = g.count() == 1 ? g.name() : g.name() + "." + p;
        GsModeTunable tunable = g.libcGsTunable() == LibcGsTunable.DENY
            ? GsModeTunable.DENY : GsModeTunable.ALLOW;
        runs.add(WorkloadRun.start(machine, image, name, masks(g), tunable));
      }
    }
    return runs;
  }

  /** Each thread's affinity: the group's allowed CPUs, or one of them under {@code pin: spread}. */
  private static List<CpuMask> masks(ProcessGroupSpec g) {
    CpuMask allowed = g.allowed();
    List<CpuMask> masks = new ArrayList<>();
    int[] cpus = allowed.toArray();
    for (int i = 0; i < g.threads(); i++) {
      masks.add(g.pin() == Pin.SPREAD ? CpuMask.of(cpus[i % cpus.length]) : allowed);
    }
    return masks;
  }

  private RunOutcome runSlice(Machine machine, List<WorkloadRun> runs, long from, long to) {
    List<Disturbance> due = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      WorkloadRun r = runs.get(i);
      WorkloadSpec w = scenario.workloadOf(groupOf(i));
      for (Disturbance d : Disturbances.schedule(w.rates(), r.workers().size(),
          machine.topology().nrCpus(), from, to, machine.random())) {
        due.add(d);
        owner.add(i);
      }
    }
    Integer[] order = new Integer[due.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingLong((Integer i) -> due.get(i).tick())
        .thenComparingInt(i -> i));
    for (int k : order) {
      Disturbance d = due.get(k);
      if (d.tick() > machine.now()) {
        if (machine.runUntil(d.tick()) == RunOutcome.ALL_EXITED) {
          return RunOutcome.ALL_EXITED;
        }
      }
      runs.get(owner.get(k)).apply(d);
    }
    return machine.runUntil(to);
  }

  private ProcessGroupSpec groupOf(int runIndex) {
    int i = runIndex;
    for (ProcessGroupSpec g : scenario.processes()) {
      if (i < g.count()) {
        return g;
      }
      i -= g.count();
    }
    throw new IndexOutOfBoundsException(runIndex);
  }

  private double opsFraction(List<WorkloadRun> runs) {
    long done = 0;
    long want = 0;
    for (WorkloadRun r : runs) {
      done += r.opsDone();
      want += r.workers().size() * scenario.duration().amount();
    }
    return want == 0 ? 0 : (double) done / want;
  }

  private static boolean allExited(List<WorkloadRun> runs) {
    for (WorkloadRun r : runs) {
      for (var t : r.workers()) {
        if (!t.hasExited()) {
          return false;
        }
      }
    }
    return true;
  }

  private static long instructions(Machine machine) {
    long n = 0;
    for (int cpu = 0; cpu < machine.topology().nrCpus(); cpu++) {
      n += machine.core(cpu).retiredInstructions();
    }
    return n;
  }

  private VariantResult result(Machine machine, CpuProfile profile, List<WorkloadRun> runs,
      ScheduleRecorder recorder, List<Violation> extra) {
    long ops = 0;
    long opInstructionsTimesOps = 0;
    double instructionsSum = 0;
    double loadsSum = 0;
    Distribution merged = new StatsRegistry().distribution("cycles_per_op", CYCLE_DIGITS);
    long fast = 0;
    long slow = 0;
    long abort = 0;
    long footprint = 0;
    long cidChanges = 0;
    int highWater = 0;
    int idsUsed = 0;
    for (WorkloadRun r : runs) {
      OpMeter m = r.meter();
      ops += m.ops();
      instructionsSum += m.instructionsPerOp() * m.ops();
      loadsSum += m.loadsPerOp() * m.ops();
      merged.addAll(m.cyclesPerOp());
      fast += m.userCycles(OpMeter.UserCycles.FAST_PATH);
      slow += m.userCycles(OpMeter.UserCycles.SLOW_PATH);
      abort += m.userCycles(OpMeter.UserCycles.ABORT_RESTART);
      footprint += m.footprintBytes();
      int pid = r.process().pid();
      cidChanges += machine.cid().mmChanges(pid);
      highWater = Math.max(highWater, machine.cid().highWater(pid));
      idsUsed = Math.max(idsUsed, machine.cid().idsUsed(pid));
    }
    int cpus = machine.topology().nrCpus();
    long[] kernel = new long[CostCategory.values().length];
    for (CostCategory c : CostCategory.values()) {
      for (int cpu = 0; cpu < cpus; cpu++) {
        kernel[c.ordinal()] += machine.cycles(cpu, c);
      }
    }
    CycleStack stack = new CycleStack(fast, abort, slow,
        kernel[CostCategory.KERNEL_SWITCH.ordinal()], kernel[CostCategory.RETURN_TO_USER.ordinal()],
        kernel[CostCategory.GS_WRITE.ordinal()], kernel[CostCategory.MEMBARRIER.ordinal()],
        kernel[CostCategory.IDLE.ordinal()]);
    SortedMap<String, Long> aborts = new TreeMap<>();
    for (RseqEvent e : RseqEvent.values()) {
      aborts.put(e.counterName(), machine.rseq().aborts(e));
    }
    List<Violation> violations = new ArrayList<>();
    for (Finding f : machine.findings()) {
      violations.add(new Violation(kindOf(f), f.tick(), f.cpu(), f.tid(), f.message())
          .withExcerpt(recorder.excerpt(f.cpu(), f.tick())));
    }
    for (Violation v : extra) {
      violations.add(v.withExcerpt(recorder.excerpt(v.cpu(), v.tick())));
    }
    violations.sort(Comparator.comparingLong(Violation::tick));
    double cyclesPerOp = ops == 0 ? Double.NaN : merged.mean();
    return new VariantResult(variant.name(), variant.abi().spelling(),
        variant.cidAllocator().spelling(), variant.idUpdate().spelling(), ops, cyclesPerOp,
        ops == 0 ? Double.NaN : merged.valueAtPercentile(50),
        ops == 0 ? Double.NaN : merged.valueAtPercentile(99),
        ops == 0 ? Double.NaN : instructionsSum / ops, ops == 0 ? Double.NaN : loadsSum / ops,
        aborts, cidChanges, highWater - 1, machine.gsMode().costs().writes(), footprint, stack,
        violations,
        new VariantNotes(variant.expect(), profile.kernel().wrgsbaseKernel(),
            profile.kernel().wrmsrGsBase(), highWater, idsUsed));
  }

  /** Whether the scenario leaves the check of {@code kind} on (a kind it cannot name is on). */
  private boolean checkEnabled(String kind) {
    return Spelled.bySpelling(CheckKind.class, kind).map(k -> scenario.checks().enabled(k))
        .orElse(true);
  }

  /** A finding's kind: {@code fatal_signal}, or the checker kind its message starts with. */
  static String kindOf(Finding f) {
    if (f.kind() == Finding.Kind.FATAL_SIGNAL) {
      return CheckKind.FATAL_SIGNAL.spelling();
    }
    int colon = f.message().indexOf(':');
    return colon > 0 ? f.message().substring(0, colon) : "check";
  }
}
