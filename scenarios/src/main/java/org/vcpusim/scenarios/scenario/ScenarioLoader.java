package org.vcpusim.scenarios.scenario;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.vcpusim.cpu.profile.CpuProfiles;
import org.vcpusim.kernel.topology.CpuMask;

/**
 * Reads a scenario file into a {@link Scenario}, strictly: an unknown key, a value of the wrong
 * type or out of range, a repeated name, a reference to an undefined workload or any other
 * inconsistency is a {@link ScenarioException} whose message is {@code file:line:column: what is
 * wrong (and what is allowed)}. The format is in {@code docs/scenario-format.md}; the limits are
 * the constants of the records ({@link MachineSpec#MAX_CPUS}, ...).
 *
 * <p>Positions: an unknown key is reported at the key, a missing required key at the mapping that
 * lacks it, a bad value at the value (inside a CPU list, at the offending character), a repeated
 * name at the later one, YAML syntax errors where snakeyaml found them ({@link YamlTree}).
 *
 * <p>Resolution: every omitted key takes its default (the record constants), every variant is
 * filled from {@code kernel:} and the top-level {@code expect}, affinities default to all CPUs.
 * Loading is a pure function of the text: no locale, clock or environment reaches the result.
 */
public final class ScenarioLoader {
  /** Scenario names: lower case, digits and dashes (they become directory and report names). */
  static final Pattern SCENARIO_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
  /** Names of process groups, workloads and variants: ABI spellings such as rseq-mm_cid fit. */
  static final Pattern ITEM_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  private static final String ITEM_NAME_RULE =
      "use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit";

  private static final List<String> ROOT_KEYS = List.of("scenario", "description", "seed",
      "machine", "kernel", "processes", "workloads", "duration", "variants", "checks", "expect",
      "outputs");
  private static final List<String> MACHINE_KEYS = List.of("cpus", "sockets", "cores_per_socket",
      "threads_per_core", "numa_nodes", "profile", "time_mode", "quantum_ns");
  private static final List<String> TOPOLOGY_KEYS =
      List.of("sockets", "cores_per_socket", "threads_per_core", "numa_nodes");
  private static final List<String> KERNEL_KEYS = List.of("hz", "cid_allocator", "id_update",
      "gs_conflict", "mmap_min_addr", "gs_origin_check", "cid_scan_period_ms");
  private static final List<String> PROCESS_KEYS = List.of("name", "count", "threads",
      "affinity", "cpuset", "pin", "gs_mode", "libc_gs_tunable", "workload");
  private static final List<String> GS_MODE_KEYS = List.of("stride", "origin");
  private static final List<String> WORKLOAD_COMMON_KEYS = List.of("name", "kind", "think",
      "rates");
  private static final List<String> WORKLOAD_KEYS = List.of("name", "kind", "mix", "size_classes",
      "slab_capacity", "objects", "batch", "think", "rates");
  private static final List<String> SLAB_MIX_KEYS = List.of("alloc", "free");
  private static final List<String> LIST_MIX_KEYS = List.of("pop", "push");
  private static final List<String> THINK_KEYS = List.of("distribution", "mean_ns");
  private static final List<String> RATE_KEYS = List.of("sleeps", "sleep_us", "yields",
      "signals", "membarrier_drains", "affinity_changes", "gs_clobbers");
  private static final List<String> DURATION_KEYS = List.of("simulated_ms", "ops");
  private static final List<String> VARIANT_KEYS = List.of("name", "abi", "cid_allocator",
      "id_update", "gs_conflict", "expect");
  private static final List<String> CHECK_KEYS = List.of("disabled", "fail_on");
  private static final List<String> OUTPUT_KEYS = List.of("trace");
  /** The word {@code fail_on} takes for "every enabled kind". */
  private static final String FAIL_ON_ALL = "all";
  /** The word {@code gs_mode} takes for "never enable GS mode". */
  private static final String GS_MODE_OFF = "off";

  private final String file;

  private ScenarioLoader(String file) {
    this.file = file;
  }

  /**
   * Reads the scenario file at {@code path} (UTF-8); messages name the file as {@code path} is
   * written.
   *
   * @throws ScenarioException when the file cannot be read or is not a valid scenario
   */
  public static Scenario load(Path path) {
    String name = path.toString();
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path)))
          .toString();
    } catch (NoSuchFileException e) {
      throw new ScenarioException(name, "no such file", e);
    } catch (CharacterCodingException e) {
      throw new ScenarioException(name, "not UTF-8 text", e);
    } catch (IOException e) {
      throw new ScenarioException(name, "cannot read: " + e.getMessage(), e);
    }
    return load(text, name);
  }

  /**
   * Reads a scenario from {@code text}; {@code fileName} is what messages and {@link
   * Scenario#source()} name.
   *
   * @throws ScenarioException when the text is not a valid scenario
   */
  public static Scenario load(String text, String fileName) {
    return new ScenarioLoader(fileName).scenario(YamlTree.parse(fileName, text));
  }

  private Scenario scenario(YamlNode root) {
    MappingReader r = new MappingReader(file, "", root, ROOT_KEYS);
    String name = r.name("scenario", SCENARIO_NAME,
        "use lower-case letters, digits and '-', starting with a letter or digit");
    String description = r.string("description", "").strip();
    long seed = r.integer("seed", Scenario.DEFAULT_SEED, 0, Long.MAX_VALUE);
    MachineSpec machine = machine(new MappingReader(file, "machine", r.require("machine"),
        MACHINE_KEYS));
    KernelSpec kernel = r.get("kernel")
        .map(n -> kernel(new MappingReader(file, "kernel", n, KERNEL_KEYS)))
        .orElse(KernelSpec.defaults());
    List<WorkloadSpec> workloads = workloads(r);
    List<ProcessGroupSpec> processes = processes(r, machine, workloads);
    DurationSpec duration = duration(new MappingReader(file, "duration", r.require("duration"),
        DURATION_KEYS));
    Verdict expect = r.choice("expect", Verdict.class, Verdict.PASS);
    List<VariantSpec> variants = variants(r, kernel, expect);
    CheckSpec checks = r.get("checks")
        .map(n -> checks(new MappingReader(file, "checks", n, CHECK_KEYS)))
        .orElse(CheckSpec.ALL);
    OutputSpec outputs = r.get("outputs")
        .map(n -> new OutputSpec(new MappingReader(file, "outputs", n, OUTPUT_KEYS)
            .bool("trace", false)))
        .orElse(OutputSpec.NONE);
    return new Scenario(name, description, seed, machine, kernel, processes, workloads, duration,
        variants, checks, outputs, file);
  }

  // ---- machine ------------------------------------------------------------------------------

  private MachineSpec machine(MappingReader m) {
    boolean topology = TOPOLOGY_KEYS.stream().anyMatch(m::has);
    int sockets = 1;
    int cores;
    int threadsPerCore = 1;
    int nodes = 1;
    if (topology) {
      sockets = m.integer("sockets", 1, 1, MachineSpec.MAX_SOCKETS);
      cores = (int) MappingReader.integer(file, m.require("cores_per_socket"),
          m.pathOf("cores_per_socket"), 1, MachineSpec.MAX_CPUS);
      threadsPerCore = m.integer("threads_per_core", 1, 1, MachineSpec.MAX_THREADS_PER_CORE);
      long n = (long) sockets * cores * threadsPerCore;
      if (n > MachineSpec.MAX_CPUS) {
        throw m.failAt("cores_per_socket", sockets + " sockets × " + cores + " cores × "
            + threadsPerCore + " threads is " + n + " CPUs; allowed at most "
            + MachineSpec.MAX_CPUS);
      }
      nodes = m.integer("numa_nodes", sockets, 1, MachineSpec.MAX_CPUS);
      if (m.has("numa_nodes") && (nodes % sockets != 0 || cores % (nodes / sockets) != 0)) {
        throw m.failAt("numa_nodes", nodes + " NUMA nodes do not split " + sockets
            + " socket(s) of " + cores + " cores evenly; give a multiple of sockets whose share"
            + " per socket divides cores_per_socket");
      }
      if (m.has("cpus")) {
        long cpus = MappingReader.integer(file, m.require("cpus"), m.pathOf("cpus"), 1,
            MachineSpec.MAX_CPUS);
        if (cpus != n) {
          throw m.failAt("cpus", "cpus is " + cpus + " but sockets × cores_per_socket ×"
              + " threads_per_core is " + n + "; give one of the two or make them agree");
        }
      }
    } else {
      cores = (int) MappingReader.integer(file, m.require("cpus"), m.pathOf("cpus"), 1,
          MachineSpec.MAX_CPUS);
    }
    List<String> profiles = CpuProfiles.names();
    String profile = m.string("profile", MachineSpec.DEFAULT_PROFILE);
    if (!profiles.contains(profile)) {
      throw m.failAt("profile", "unknown CPU profile '" + profile + "'; allowed: "
          + String.join(", ", profiles));
    }
    TimeMode mode = m.choice("time_mode", TimeMode.class, TimeMode.EXACT);
    long quantum = 0;
    if (mode == TimeMode.QUANTUM) {
      quantum = m.integer("quantum_ns", MachineSpec.DEFAULT_QUANTUM_NS, 1,
          MachineSpec.MAX_QUANTUM_NS);
    } else if (m.has("quantum_ns")) {
      throw m.failAtKey("quantum_ns", "applies only with time_mode: quantum");
    }
    return new MachineSpec(sockets, cores, threadsPerCore, nodes, profile, mode, quantum);
  }

  // ---- kernel -------------------------------------------------------------------------------

  private KernelSpec kernel(MappingReader k) {
    int hz = k.integer("hz", KernelSpec.DEFAULT_HZ, KernelSpec.MIN_HZ, KernelSpec.MAX_HZ);
    CidAllocatorName allocator =
        k.choice("cid_allocator", CidAllocatorName.class, KernelSpec.DEFAULT_CID_ALLOCATOR);
    IdUpdate idUpdate = k.choice("id_update", IdUpdate.class, IdUpdate.LEGACY);
    GsConflict gsConflict = k.choice("gs_conflict", GsConflict.class, GsConflict.EBUSY);
    long mmapMinAddr = k.integer("mmap_min_addr", KernelSpec.DEFAULT_MMAP_MIN_ADDR, 0,
        KernelSpec.MAX_MMAP_MIN_ADDR);
    if (mmapMinAddr % KernelSpec.PAGE_SIZE != 0) {
      throw k.failAt("mmap_min_addr", "0x" + Long.toHexString(mmapMinAddr)
          + " is not a multiple of the " + KernelSpec.PAGE_SIZE + "-byte page");
    }
    boolean originCheck = k.bool("gs_origin_check", true);
    int scan = k.integer("cid_scan_period_ms", KernelSpec.DEFAULT_CID_SCAN_PERIOD_MS, 1,
        KernelSpec.MAX_CID_SCAN_PERIOD_MS);
    return new KernelSpec(hz, allocator, idUpdate, gsConflict, mmapMinAddr, originCheck, scan);
  }

  // ---- processes ----------------------------------------------------------------------------

  private List<ProcessGroupSpec> processes(
      MappingReader root, MachineSpec machine, List<WorkloadSpec> workloads) {
    YamlNode.Sequence seq =
        MappingReader.sequence(file, root.require("processes"), "processes");
    if (seq.items().isEmpty()) {
      throw MappingReader.error(file, seq.mark(), "processes",
          "empty; a scenario needs at least one process group");
    }
    List<ProcessGroupSpec> groups = new ArrayList<>();
    Names names = new Names("processes");
    long threads = 0;
    for (int i = 0; i < seq.items().size(); i++) {
      String path = "processes[" + i + "]";
      MappingReader p = new MappingReader(file, path, seq.items().get(i), PROCESS_KEYS);
      String name = p.name("name", ITEM_NAME, ITEM_NAME_RULE);
      names.add(name, p.require("name"), i);
      int count = p.integer("count", 1, 1, ProcessGroupSpec.MAX_COUNT);
      int perProcess = p.integer("threads", 1, 1, ProcessGroupSpec.MAX_THREADS);
      CpuMask affinity = p.has("affinity") ? p.cpus("affinity", machine.cpus())
          : machine.allCpus();
      Optional<CpuMask> cpuset = Optional.empty();
      if (p.has("cpuset")) {
        CpuMask set = p.cpus("cpuset", machine.cpus());
        if (!set.intersects(affinity)) {
          throw p.failAt("cpuset", "cpuset " + set + " and affinity " + affinity
              + " have no CPU in common");
        }
        cpuset = Optional.of(set);
      }
      Pin pin = p.choice("pin", Pin.class, Pin.NONE);
      GsModeSpec gsMode = p.get("gs_mode").map(n -> gsMode(n, path + ".gs_mode", machine))
          .orElse(GsModeSpec.DEFAULT);
      LibcGsTunable tunable = p.choice("libc_gs_tunable", LibcGsTunable.class,
          LibcGsTunable.ALLOW);
      String workload = p.name("workload", ITEM_NAME, ITEM_NAME_RULE);
      if (workloads.stream().noneMatch(w -> w.name().equals(workload))) {
        List<String> defined = new ArrayList<>();
        workloads.forEach(w -> defined.add(w.name()));
        throw p.failAt("workload", "no workload '" + workload + "'; defined: "
            + String.join(", ", defined));
      }
      threads += (long) count * perProcess;
      if (threads > Scenario.MAX_TOTAL_THREADS) {
        throw p.fail(p.mark(), "the scenario now has " + threads + " threads; allowed at most "
            + Scenario.MAX_TOTAL_THREADS + " in all groups together");
      }
      groups.add(new ProcessGroupSpec(name, count, perProcess, affinity, cpuset, pin, gsMode,
          tunable, workload));
    }
    return groups;
  }

  private GsModeSpec gsMode(YamlNode n, String path, MachineSpec machine) {
    if (n instanceof YamlNode.Scalar) {
      YamlNode.Scalar s = (YamlNode.Scalar) n;
      boolean off = s.type() == YamlNode.ScalarType.BOOLEAN ? !s.truth()
          : s.type() == YamlNode.ScalarType.STRING && s.text().equals(GS_MODE_OFF);
      if (off) {
        return GsModeSpec.OFF;
      }
      throw MappingReader.error(file, n.mark(), path,
          "expected off or a mapping {stride, origin}, found " + s.describe());
    }
    MappingReader g = new MappingReader(file, path, n, GS_MODE_KEYS);
    long stride = g.integer("stride", GsModeSpec.DEFAULT_STRIDE, 1, GsModeSpec.MAX_STRIDE);
    long origin = g.integer("origin", GsModeSpec.DEFAULT_ORIGIN, 0,
        GsModeSpec.USER_SPACE_END - 1);
    // The last id's region must end in user space: ids run up to the machine's CPU count - 1.
    long end = origin + stride * machine.cpus();
    if (end > GsModeSpec.USER_SPACE_END) {
      throw g.fail(g.mark(), "origin 0x" + Long.toHexString(origin) + " + stride 0x"
          + Long.toHexString(stride) + " × " + machine.cpus() + " ids ends at 0x"
          + Long.toHexString(end) + ", beyond user space (0x"
          + Long.toHexString(GsModeSpec.USER_SPACE_END) + ")");
    }
    return new GsModeSpec(true, stride, origin);
  }

  // ---- workloads ----------------------------------------------------------------------------

  private List<WorkloadSpec> workloads(MappingReader root) {
    YamlNode.Sequence seq =
        MappingReader.sequence(file, root.require("workloads"), "workloads");
    if (seq.items().isEmpty()) {
      throw MappingReader.error(file, seq.mark(), "workloads",
          "empty; a scenario needs at least one workload");
    }
    List<WorkloadSpec> list = new ArrayList<>();
    Names names = new Names("workloads");
    for (int i = 0; i < seq.items().size(); i++) {
      String path = "workloads[" + i + "]";
      MappingReader w = new MappingReader(file, path, seq.items().get(i), WORKLOAD_KEYS);
      String name = w.name("name", ITEM_NAME, ITEM_NAME_RULE);
      names.add(name, w.require("name"), i);
      WorkloadKind kind = MappingReader.choice(file, w.require("kind"), w.pathOf("kind"),
          WorkloadKind.class);
      List<String> kindKeys = WorkloadSpec.allowedKeys(kind);
      for (String key : WORKLOAD_KEYS) {
        if (w.has(key) && !WORKLOAD_COMMON_KEYS.contains(key) && !kindKeys.contains(key)) {
          List<String> keys = new ArrayList<>(WORKLOAD_COMMON_KEYS);
          keys.addAll(kindKeys);
          throw w.failAtKey(key, "does not apply to a " + kind.spelling()
              + " workload; its keys: " + String.join(", ", keys));
        }
      }
      OpMix mix = w.get("mix").map(n -> mix(n, w.pathOf("mix"), kind)).orElse(OpMix.EVEN);
      int sizeClasses = w.integer("size_classes", WorkloadSpec.DEFAULT_SIZE_CLASSES, 1,
          WorkloadSpec.MAX_SIZE_CLASSES);
      int capacity = w.integer("slab_capacity", WorkloadSpec.DEFAULT_SLAB_CAPACITY, 1,
          WorkloadSpec.MAX_SLAB_CAPACITY);
      int objects = w.integer("objects", WorkloadSpec.DEFAULT_OBJECTS, 0,
          WorkloadSpec.MAX_OBJECTS);
      int batchMax = kind == WorkloadKind.SLAB ? capacity : WorkloadSpec.MAX_SLAB_CAPACITY;
      int batch = w.integer("batch", Math.min(WorkloadSpec.DEFAULT_BATCH, batchMax), 1, batchMax);
      int slabCapacity = kind == WorkloadKind.SLAB ? capacity : Math.max(capacity, batch);
      ThinkTime think = w.get("think").map(n -> think(n, w.pathOf("think")))
          .orElse(ThinkTime.NONE);
      DisturbanceRates rates = w.get("rates").map(n -> rates(n, w.pathOf("rates")))
          .orElse(DisturbanceRates.NONE);
      list.add(new WorkloadSpec(name, kind, mix, sizeClasses, slabCapacity, objects, batch,
          think, rates));
    }
    return list;
  }

  private OpMix mix(YamlNode n, String path, WorkloadKind kind) {
    List<String> keys = kind == WorkloadKind.SLAB ? SLAB_MIX_KEYS : LIST_MIX_KEYS;
    MappingReader m = new MappingReader(file, path, n, keys);
    long pop = MappingReader.integer(file, m.require(keys.get(0)), m.pathOf(keys.get(0)), 0,
        OpMix.MAX_WEIGHT);
    long push = MappingReader.integer(file, m.require(keys.get(1)), m.pathOf(keys.get(1)), 0,
        OpMix.MAX_WEIGHT);
    if (pop + push == 0) {
      throw m.fail(m.mark(), "both weights are 0; at least one must be positive");
    }
    return new OpMix((int) pop, (int) push);
  }

  private ThinkTime think(YamlNode n, String path) {
    MappingReader t = new MappingReader(file, path, n, THINK_KEYS);
    return new ThinkTime(t.choice("distribution", ThinkDistribution.class,
        ThinkDistribution.FIXED), t.integer("mean_ns", 0L, 0, ThinkTime.MAX_MEAN_NS));
  }

  private DisturbanceRates rates(YamlNode n, String path) {
    MappingReader r = new MappingReader(file, path, n, RATE_KEYS);
    double max = DisturbanceRates.MAX_RATE;
    return new DisturbanceRates(
        r.number("sleeps", 0, 0, max),
        r.integer("sleep_us", DisturbanceRates.DEFAULT_SLEEP_US, 1,
            DisturbanceRates.MAX_SLEEP_US),
        r.number("yields", 0, 0, max),
        r.number("signals", 0, 0, max),
        r.number("membarrier_drains", 0, 0, max),
        r.number("affinity_changes", 0, 0, max),
        r.number("gs_clobbers", 0, 0, max));
  }

  // ---- duration, variants, checks -----------------------------------------------------------

  private DurationSpec duration(MappingReader d) {
    List<YamlNode.Entry> given = new ArrayList<>();
    DURATION_KEYS.forEach(k -> d.entry(k).ifPresent(given::add));
    given.sort((a, b) -> a.keyMark().line() != b.keyMark().line()
        ? Integer.compare(a.keyMark().line(), b.keyMark().line())
        : Integer.compare(a.keyMark().column(), b.keyMark().column()));
    if (given.isEmpty()) {
      throw d.fail(d.mark(), "missing simulated_ms or ops; give exactly one");
    }
    if (given.size() > 1) {
      throw d.failAtKey(given.get(1).key(), "give simulated_ms or ops, not both");
    }
    DurationSpec.Unit unit = DurationSpec.Unit.SIMULATED_MS.spelling().equals(given.get(0).key())
        ? DurationSpec.Unit.SIMULATED_MS : DurationSpec.Unit.OPS;
    long max = unit == DurationSpec.Unit.OPS ? DurationSpec.MAX_OPS
        : DurationSpec.MAX_SIMULATED_MS;
    return new DurationSpec(unit, d.integer(unit.spelling(), 1L, 1, max));
  }

  private List<VariantSpec> variants(MappingReader root, KernelSpec kernel, Verdict expect) {
    if (!root.has("variants")) {
      List<VariantSpec> all = new ArrayList<>();
      for (Abi abi : Abi.values()) {
        all.add(VariantSpec.of(abi, kernel, expect));
      }
      return all;
    }
    YamlNode.Sequence seq = MappingReader.sequence(file, root.require("variants"), "variants");
    if (seq.items().isEmpty()) {
      throw MappingReader.error(file, seq.mark(), "variants",
          "empty; leave variants out to run the four ABIs, or name at least one");
    }
    List<VariantSpec> list = new ArrayList<>();
    Names names = new Names("variants");
    for (int i = 0; i < seq.items().size(); i++) {
      String path = "variants[" + i + "]";
      YamlNode item = seq.items().get(i);
      VariantSpec v;
      if (item instanceof YamlNode.Scalar) {
        Abi abi = MappingReader.choice(file, item, path, Abi.class);
        v = VariantSpec.of(abi, kernel, expect);
        names.add(v.name(), item, i);
      } else {
        MappingReader m = new MappingReader(file, path, item, VARIANT_KEYS);
        Abi abi = MappingReader.choice(file, m.require("abi"), m.pathOf("abi"), Abi.class);
        String name = m.has("name") ? m.name("name", ITEM_NAME, ITEM_NAME_RULE)
            : abi.spelling();
        names.add(name, m.get("name").orElse(item), i);
        v = new VariantSpec(name, abi,
            m.choice("cid_allocator", CidAllocatorName.class, kernel.cidAllocator()),
            m.choice("id_update", IdUpdate.class, kernel.idUpdate()),
            m.choice("gs_conflict", GsConflict.class, kernel.gsConflict()),
            m.choice("expect", Verdict.class, expect));
      }
      list.add(v);
    }
    return list;
  }

  private CheckSpec checks(MappingReader c) {
    List<CheckKind> disabled = new ArrayList<>();
    if (c.has("disabled")) {
      YamlNode.Sequence seq = MappingReader.sequence(file, c.require("disabled"),
          c.pathOf("disabled"));
      for (int i = 0; i < seq.items().size(); i++) {
        YamlNode item = seq.items().get(i);
        String path = c.pathOf("disabled") + "[" + i + "]";
        CheckKind k = MappingReader.choice(file, item, path, CheckKind.class);
        if (k == CheckKind.FATAL_SIGNAL) {
          throw MappingReader.error(file, item.mark(), path,
              "fatal_signal cannot be disabled (a killed process ends its variant);"
                  + " leave it out of fail_on to report it without failing");
        }
        disabled.add(k);
      }
    }
    if (!c.has("fail_on")) {
      return new CheckSpec(disabled, true, List.of());
    }
    YamlNode f = c.require("fail_on");
    if (f instanceof YamlNode.Scalar && ((YamlNode.Scalar) f).text().equals(FAIL_ON_ALL)) {
      return new CheckSpec(disabled, true, List.of());
    }
    if (!(f instanceof YamlNode.Sequence)) {
      throw c.failAt("fail_on", "expected all or a list of check kinds, found " + f.describe());
    }
    List<CheckKind> failOn = new ArrayList<>();
    YamlNode.Sequence seq = (YamlNode.Sequence) f;
    for (int i = 0; i < seq.items().size(); i++) {
      YamlNode item = seq.items().get(i);
      String path = c.pathOf("fail_on") + "[" + i + "]";
      CheckKind k = MappingReader.choice(file, item, path, CheckKind.class);
      if (disabled.contains(k)) {
        throw MappingReader.error(file, item.mark(), path,
            k.spelling() + " is disabled; a disabled check cannot fail a variant");
      }
      failOn.add(k);
    }
    return new CheckSpec(disabled, false, failOn);
  }

  /** Names of one list, to report a repeated name at its second use. */
  private final class Names {
    private final String list;
    private final TreeMap<String, Integer> firstIndex = new TreeMap<>();
    private final TreeMap<String, Integer> firstLine = new TreeMap<>();

    Names(String list) {
      this.list = list;
    }

    void add(String name, YamlNode where, int index) {
      Integer earlier = firstIndex.putIfAbsent(name, index);
      if (earlier != null) {
        throw MappingReader.error(file, where.mark(), list + "[" + index + "]",
            "name '" + name + "' is already used by " + list + "[" + earlier + "] (line "
                + firstLine.get(name) + "); names must be unique");
      }
      firstLine.put(name, where.mark().line());
    }
  }
}
