package org.vcpusim.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.cpu.profile.CpuProfiles;
import org.vcpusim.kernel.cid.CidAllocators;
import org.vcpusim.kernel.experiment.CidSweep;
import org.vcpusim.kernel.experiment.CidSweepResult;
import org.vcpusim.kernel.experiment.GsCounterProgram;
import org.vcpusim.kernel.machine.Finding;

/**
 * Issue 5's allocator sweep as a command: {@link CidSweep} (a 64-thread per-vCPU {@code %gs:}
 * counter in the GS mode on 8 CPUs, every default checker on) for a simulated second under each
 * concurrency-id allocator, one table per run on standard output and the same figures as JSON.
 * Not a JMH benchmark: a simulation experiment whose host wall time and simulated MIPS are
 * reported alongside.
 *
 * <p>Usage: {@code CidAllocatorSweep [--seconds S] [--seed N] [--cpus C] [--threads T] [--profile
 * NAME] [--fsgsbase on|off] [--allocators a,b,...] [--out FILE]}; defaults 1 s, seed 1, 8 CPUs, 64
 * threads, zen5 with its own FSGSBASE bit, all allocators, {@code benchmarks/target/cid-sweep.json}
 * (relative to the working directory; {@code benchmarks/run.sh cid-sweep} runs from the repository
 * root). Both GS write regimes are priced from one run ({@code GsCosts.writeCyclesIf});
 * {@code --fsgsbase off} runs the machine itself without FSGSBASE, which changes only the timing.
 * Exit status 1 when any run has a finding or an inexact counter sum.
 */
public final class CidAllocatorSweep {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The allocators in the order they appeared: CPU number, 2022 series, 6.4, 6.19. */
  static final List<String> HISTORY = List.of("cpu", "vcpu-2022", "mm_cid-6.4", "mm_cid-6.19");

  private CidAllocatorSweep() {}

  /** One allocator's result and the host time it took. */
  record Measured(CidSweepResult r, double wallSeconds) {
    double mips() {
      return r.instructions() / wallSeconds / 1e6;
    }
  }

  public static void main(String[] args) throws IOException {
    double seconds = 1;
    long seed = 1;
    int cpus = 8;
    int threads = 64;
    String profileName = "zen5";
    String fsgsbase = null;
    List<String> allocators = defaultOrder();
    Path out = Path.of("benchmarks", "target", "cid-sweep.json");
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--seconds" -> seconds = Double.parseDouble(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--cpus" -> cpus = Integer.parseInt(v);
        case "--threads" -> threads = Integer.parseInt(v);
        case "--profile" -> profileName = v;
        case "--fsgsbase" -> fsgsbase = v;
        case "--allocators" -> allocators = List.of(v.split(","));
        case "--out" -> out = Path.of(v);
        default -> {
          System.err.println("unknown option " + args[i] + "; see the class javadoc");
          System.exit(2);
        }
      }
      i++;
    }
    CpuProfile profile = CpuProfiles.load(profileName);
    if (fsgsbase != null) {
      profile = withFsgsbase(profile, fsgsbase.equals("on"));
    }
    long durationPs = Math.round(seconds * Ticks.PER_SECOND);
    CidSweep.Params params = new CidSweep.Params(cpus, threads, seed, durationPs, profile);

    List<Measured> runs = new ArrayList<>();
    for (String a : allocators) {
      long t0 = System.nanoTime();
      CidSweepResult r = CidSweep.run(a, params);
      Measured m = new Measured(r, (System.nanoTime() - t0) / 1e9);
      System.err.printf(Locale.ROOT, "cid-sweep: %s done in %.1f s%n", a, m.wallSeconds());
      runs.add(m);
    }
    System.out.print(table(params, runs));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, JSON.writeValueAsString(json(params, runs)) + "\n");
    System.out.println("wrote " + out);
    boolean ok = runs.stream().allMatch(m -> m.r().findings().isEmpty() && m.r().counterSumExact());
    System.exit(ok ? 0 : 1);
  }

  /**
   * Every registered allocator, in the order of their history (issue 5): {@link #HISTORY} first,
   * then any other registered name.
   */
  static List<String> defaultOrder() {
    List<String> order = new ArrayList<>();
    for (String a : HISTORY) {
      if (CidAllocators.names().contains(a)) {
        order.add(a);
      }
    }
    for (String a : CidAllocators.names()) {
      if (!order.contains(a)) {
        order.add(a);
      }
    }
    return order;
  }

  static CpuProfile withFsgsbase(CpuProfile p, boolean on) {
    CpuProfile.Features f = p.features();
    return new CpuProfile(p.name(), p.description(), p.frequencyGhz(), p.pipeline(), p.alu(),
        p.memory(), p.branch(), p.system(), p.caches(),
        new CpuProfile.Features(on, f.rdpid(), f.rdtscp()), p.kernel(), p.sources());
  }

  /** The text table: one row per figure, one column per allocator. */
  static String table(CidSweep.Params params, List<Measured> runs) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT,
        "%nCid allocator sweep: %d threads on %d CPUs (%s, FSGSBASE %s), %.3f simulated s, seed %d;"
            + " GS mode stride %#x origin %#x%n%n", params.threads(), params.cpus(),
        params.profile().name(), params.profile().features().fsgsbase() ? "on" : "off",
        Ticks.toSecondsAsDouble(params.durationPs()), params.seed(), GsCounterProgram.STRIDE,
        GsCounterProgram.ORIGIN));
    row(b, "", runs, m -> m.r().allocator());
    row(b, "max cid (high-water - 1)", runs, m -> Integer.toString(m.r().maxCid()));
    row(b, "distinct cids used", runs, m -> Integer.toString(m.r().idsUsed()));
    row(b, "cid changes / s", runs, m -> rate(m.r(), m.r().cidChanges()));
    row(b, "switch-ins / s", runs, m -> rate(m.r(), m.r().switchIns()));
    row(b, "migrations / s", runs, m -> rate(m.r(), m.r().migrations()));
    row(b, "affinity changes (driver)", runs, m -> Long.toString(m.r().affinityChanges()));
    row(b, "vcpu-2022 lock acquisitions", runs, m -> policy(m.r(), "lock_acquisitions"));
    row(b, "vcpu-2022 lock wait total us", runs, m -> policyMicros(m.r(), "lock_wait_ps"));
    row(b, "vcpu-2022 lock wait max ns", runs, m -> policyNanos(m.r(), "lock_wait_max_ps"));
    row(b, "vcpu-2022 hand-overs", runs, m -> policy(m.r(), "handovers"));
    row(b, "6.4 compaction scans", runs, m -> policy(m.r(), "compaction_scans"));
    row(b, "6.4 cleared (old + weight)", runs, m -> policySum(m.r(), "compaction_cleared_old",
        "compaction_cleared_weight"));
    row(b, "6.4 migration steals", runs, m -> policy(m.r(), "migration_steals"));
    row(b, "6.19 mode switches (to pcpu+task)", runs,
        m -> policySum(m.r(), "to_percpu", "to_pertask"));
    row(b, "6.19 fixup visits (cycles)", runs, m -> policy(m.r(), "fixup_visits").equals("-")
        ? "-" : policy(m.r(), "fixup_visits") + " (" + policy(m.r(), "fixup_cycles") + ")");
    row(b, "GS writes / s", runs, m -> rate(m.r(), m.r().gsWrites()));
    row(b, "  of which after a switch-in", runs, m -> Long.toString(m.r().gsWritesAfterSwitchIn()));
    row(b, "GS write cycles / s WRGSBASE", runs, m -> rate(m.r(), m.r().gsWriteCyclesWrgsbase()));
    row(b, "GS write cycles / s WRMSR", runs, m -> rate(m.r(), m.r().gsWriteCyclesWrmsr()));
    row(b, "  = CPU share WRGSBASE / WRMSR", runs, m -> String.format(Locale.ROOT, "%.4f%%/%.4f%%",
        share(params, m.r(), m.r().gsWriteCyclesWrgsbase()),
        share(params, m.r(), m.r().gsWriteCyclesWrmsr())));
    row(b, "switch-path GS loads / s", runs, m -> rate(m.r(), m.r().gsSwitchLoads()));
    row(b, "  their cycles / s WRGSBASE", runs,
        m -> rate(m.r(), m.r().gsSwitchLoadCyclesWrgsbase()));
    row(b, "  their cycles / s WRMSR", runs, m -> rate(m.r(), m.r().gsSwitchLoadCyclesWrmsr()));
    row(b, "rseq aborts", runs, m -> Long.toString(m.r().rseqAborts()));
    row(b, "CPU busy", runs, m -> String.format(Locale.ROOT, "%.2f%%",
        100.0 * m.r().busyPs() / (m.r().simulatedPs() * (double) params.cpus())));
    row(b, "findings", runs, m -> Integer.toString(m.r().findings().size()));
    row(b, "checkers on (violations)", runs, m -> m.r().checkViolations().size() + " ("
        + m.r().checkViolations().values().stream().mapToLong(Long::longValue).sum() + ")");
    row(b, "counter sum = ops", runs, m -> (m.r().counterSumExact() ? "ok " : "BAD ")
        + m.r().counterSum() + "/" + m.r().opsTotal());
    row(b, "simulated instructions (M)", runs,
        m -> String.format(Locale.ROOT, "%.1f", m.r().instructions() / 1e6));
    row(b, "host wall s", runs, m -> String.format(Locale.ROOT, "%.1f", m.wallSeconds()));
    row(b, "MIPS (simulated instr / host s)", runs,
        m -> String.format(Locale.ROOT, "%.2f", m.mips()));
    for (Measured m : runs) {
      for (Finding f : m.r().findings().subList(0, Math.min(5, m.r().findings().size()))) {
        b.append(m.r().allocator()).append(": ").append(f).append('\n');
      }
    }
    return b.toString();
  }

  private static void row(StringBuilder b, String label, List<Measured> runs,
      Function<Measured, String> cell) {
    b.append(String.format(Locale.ROOT, "%-34s", label));
    for (Measured m : runs) {
      b.append(String.format(Locale.ROOT, "%18s", cell.apply(m)));
    }
    b.append('\n');
  }

  private static String rate(CidSweepResult r, long count) {
    return String.format(Locale.ROOT, "%.0f", r.perSecond(count));
  }

  private static double share(CidSweep.Params p, CidSweepResult r, long cycles) {
    double hz = p.profile().frequencyGhz() * 1e9;
    return 100.0 * r.perSecond(cycles) / (hz * p.cpus());
  }

  private static String policy(CidSweepResult r, String name) {
    return r.policyFigures().containsKey(name) ? Long.toString(r.policyFigure(name)) : "-";
  }

  private static String policySum(CidSweepResult r, String a, String b) {
    return r.policyFigures().containsKey(a)
        ? Long.toString(r.policyFigure(a) + r.policyFigure(b)) : "-";
  }

  private static String policyMicros(CidSweepResult r, String name) {
    return r.policyFigures().containsKey(name) ? String.format(Locale.ROOT, "%.3f",
        Ticks.toNanosAsDouble(r.policyFigure(name)) / 1e3) : "-";
  }

  private static String policyNanos(CidSweepResult r, String name) {
    return r.policyFigures().containsKey(name) ? String.format(Locale.ROOT, "%.1f",
        Ticks.toNanosAsDouble(r.policyFigure(name))) : "-";
  }

  /** The JSON document: the run's parameters and one object per allocator, keys in fixed order. */
  static ObjectNode json(CidSweep.Params params, List<Measured> runs) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode p = root.putObject("params");
    p.put("cpus", params.cpus());
    p.put("threads", params.threads());
    p.put("seed", params.seed());
    p.put("simulated_seconds", Ticks.toSecondsAsDouble(params.durationPs()));
    p.put("profile", params.profile().name());
    p.put("fsgsbase", params.profile().features().fsgsbase());
    p.put("gs_stride", GsCounterProgram.STRIDE);
    p.put("gs_origin", GsCounterProgram.ORIGIN);
    ArrayNode list = root.putArray("allocators");
    for (Measured m : runs) {
      CidSweepResult r = m.r();
      ObjectNode o = list.addObject();
      o.put("allocator", r.allocator());
      o.put("max_cid", r.maxCid());
      o.put("high_water", r.highWater());
      o.put("ids_used", r.idsUsed());
      o.put("cid_changes", r.cidChanges());
      o.put("cid_changes_per_second", r.perSecond(r.cidChanges()));
      o.put("switch_ins", r.switchIns());
      o.put("migrations", r.migrations());
      o.put("affinity_changes", r.affinityChanges());
      ObjectNode pol = o.putObject("policy");
      r.policyFigures().forEach(pol::put);
      o.put("gs_writes", r.gsWrites());
      o.put("gs_writes_per_second", r.perSecond(r.gsWrites()));
      o.put("gs_writes_after_switch_in", r.gsWritesAfterSwitchIn());
      o.put("gs_write_cycles_per_second_wrgsbase", r.perSecond(r.gsWriteCyclesWrgsbase()));
      o.put("gs_write_cycles_per_second_wrmsr", r.perSecond(r.gsWriteCyclesWrmsr()));
      o.put("gs_switch_loads", r.gsSwitchLoads());
      o.put("gs_switch_load_cycles_per_second_wrgsbase",
          r.perSecond(r.gsSwitchLoadCyclesWrgsbase()));
      o.put("gs_switch_load_cycles_per_second_wrmsr", r.perSecond(r.gsSwitchLoadCyclesWrmsr()));
      o.put("rseq_aborts", r.rseqAborts());
      o.put("findings", r.findings().size());
      ObjectNode cv = o.putObject("check_violations");
      r.checkViolations().forEach(cv::put);
      ArrayNode fs = o.putArray("finding_messages");
      r.findings().forEach(f -> fs.add(f.toString()));
      o.put("ops", r.opsTotal());
      o.put("counter_sum", r.counterSum());
      o.put("counter_sum_exact", r.counterSumExact());
      o.put("instructions", r.instructions());
      o.put("busy_fraction", r.busyPs() / (r.simulatedPs() * (double) params.cpus()));
      o.put("host_wall_seconds", m.wallSeconds());
      o.put("mips", m.mips());
    }
    return root;
  }
}
