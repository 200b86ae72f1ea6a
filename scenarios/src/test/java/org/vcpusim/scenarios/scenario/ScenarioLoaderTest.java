package org.vcpusim.scenarios.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.vcpusim.kernel.topology.CpuMask;

/** Loading valid files: defaults, variant resolution, hex, locale independence, the docs example. */
class ScenarioLoaderTest {
  private static final String MINIMAL = "scenario: minimal\n"
      + "machine: {cpus: 4}\n"
      + "processes:\n  - {name: app, threads: 2, workload: w}\n"
      + "workloads:\n  - {name: w, kind: slab}\n"
      + "duration: {ops: 10}\n";

  @Test
  void omittedKeysTakeTheirDefaults() {
    Scenario s = ScenarioLoader.load(MINIMAL, "minimal.yaml");
    assertEquals("minimal", s.name());
    assertEquals("", s.description());
    assertEquals(Scenario.DEFAULT_SEED, s.seed());
    assertEquals(MachineSpec.flat(4), s.machine());
    assertEquals(KernelSpec.defaults(), s.kernel());
    ProcessGroupSpec p = s.processes().get(0);
    assertEquals(1, p.count());
    assertEquals(2, p.threads());
    assertEquals(CpuMask.first(4), p.affinity());
    assertEquals(Optional.empty(), p.cpuset());
    assertEquals(Pin.NONE, p.pin());
    assertEquals(GsModeSpec.DEFAULT, p.gsMode());
    assertEquals(LibcGsTunable.ALLOW, p.libcGsTunable());
    assertEquals(new WorkloadSpec("w", WorkloadKind.SLAB, OpMix.EVEN, 4, 32, 4096, 8,
        ThinkTime.NONE, DisturbanceRates.NONE), s.workloadOf(p));
    assertEquals(DurationSpec.ops(10), s.duration());
    assertEquals(CheckSpec.ALL, s.checks());
    assertEquals(OutputSpec.NONE, s.outputs());
    assertEquals("minimal.yaml", s.source());
  }

  @Test
  void withoutVariantsTheFourAbisRunWithTheKernelSettings() {
    Scenario s = ScenarioLoader.load(MINIMAL.replace("machine:", "kernel: {cid_allocator:"
        + " mm_cid-6.19, id_update: on-change}\nexpect: fail\nmachine:"), "v.yaml");
    assertEquals(List.of("rseq-cpu", "rseq-mm_cid", "rseq-cpu-cached", "gs-mm_cid"),
        s.variants().stream().map(VariantSpec::name).toList());
    for (VariantSpec v : s.variants()) {
      assertEquals(v.abi().spelling(), v.name());
      assertEquals(CidAllocatorName.MM_CID_6_19, v.cidAllocator());
      assertEquals(IdUpdate.ON_CHANGE, v.idUpdate());
      assertEquals(GsConflict.EBUSY, v.gsConflict());
      assertEquals(Verdict.FAIL, v.expect());
    }
  }

  @Test
  void variantFieldsOverrideTheKernelAndMissingOnesComeFromIt() {
    Scenario s = ScenarioLoader.load(MINIMAL
        + "kernel: {cid_allocator: vcpu-2022, id_update: on-change, gs_conflict: overwrite}\n"
        + "expect: fail\n"
        + "variants:\n"
        + "  - rseq-cpu\n"
        + "  - {abi: gs-mm_cid, id_update: legacy, expect: pass}\n"
        + "  - {name: cached-6.4, abi: rseq-cpu-cached, cid_allocator: mm_cid-6.4,"
        + " gs_conflict: ebusy}\n", "v.yaml");
    assertEquals(List.of(
        new VariantSpec("rseq-cpu", Abi.RSEQ_CPU, CidAllocatorName.VCPU_2022, IdUpdate.ON_CHANGE,
            GsConflict.OVERWRITE, Verdict.FAIL),
        new VariantSpec("gs-mm_cid", Abi.GS_MM_CID, CidAllocatorName.VCPU_2022, IdUpdate.LEGACY,
            GsConflict.OVERWRITE, Verdict.PASS),
        new VariantSpec("cached-6.4", Abi.RSEQ_CPU_CACHED, CidAllocatorName.MM_CID_6_4,
            IdUpdate.ON_CHANGE, GsConflict.EBUSY, Verdict.FAIL)), s.variants());
  }

  @Test
  void everySectionReadsIntoItsRecord() {
    Scenario s = ScenarioLoader.load("scenario: full\n"
        + "description: Two groups.\n"
        + "seed: 0x2a\n"
        + "machine: {sockets: 2, cores_per_socket: 4, threads_per_core: 2, numa_nodes: 2,"
        + " profile: icelake, time_mode: quantum, quantum_ns: 250}\n"
        + "kernel: {hz: 1000, mmap_min_addr: 0x1000, gs_origin_check: false,"
        + " cid_scan_period_ms: 50}\n"
        + "processes:\n"
        + "  - {name: a, count: 2, threads: 3, affinity: '0-7, 12', cpuset: 4-15, pin: spread,"
        + " gs_mode: {stride: 0x2000, origin: 0x10000000}, libc_gs_tunable: deny, workload: l}\n"
        + "  - {name: b, gs_mode: off, workload: c}\n"
        + "workloads:\n"
        + "  - {name: l, kind: list, mix: {pop: 3, push: 1}, objects: 0, batch: 100,"
        + " think: {distribution: exponential, mean_ns: 500},"
        + " rates: {sleeps: 1.5e3, sleep_us: 7, yields: 2, signals: 3, membarrier_drains: 4,"
        + " affinity_changes: 5, gs_clobbers: 6}}\n"
        + "  - {name: c, kind: counter}\n"
        + "duration: {simulated_ms: 3}\n"
        + "checks: {disabled: [gs_access, cid_compact], fail_on: [counter_sum, cid_unique]}\n"
        + "outputs: {trace: true}\n", "full.yaml");
    assertEquals(42, s.seed());
    assertEquals(new MachineSpec(2, 4, 2, 2, "icelake", TimeMode.QUANTUM, 250), s.machine());
    assertEquals(16, s.machine().cpus());
    assertEquals(2, s.machine().topology().nrNodes());
    assertEquals(new KernelSpec(1000, CidAllocatorName.MM_CID_6_4, IdUpdate.LEGACY,
        GsConflict.EBUSY, 4096, false, 50), s.kernel());
    ProcessGroupSpec a = s.processes().get(0);
    assertEquals(CpuMask.parse("0-7,12"), a.affinity());
    assertEquals(Optional.of(CpuMask.range(4, 15)), a.cpuset());
    assertEquals(CpuMask.parse("4-7,12"), a.allowed());
    assertEquals(6, a.totalThreads());
    assertEquals(new GsModeSpec(true, 0x2000, 0x1000_0000L), a.gsMode());
    assertEquals(0x1000_0000L + 3 * 0x2000, a.gsMode().baseOf(3));
    assertEquals(LibcGsTunable.DENY, a.libcGsTunable());
    assertEquals(Pin.SPREAD, a.pin());
    assertEquals(GsModeSpec.OFF, s.processes().get(1).gsMode());
    assertEquals(7, s.totalThreads());
    WorkloadSpec l = s.workload("l").orElseThrow();
    assertEquals(new OpMix(3, 1), l.mix());
    assertEquals(100, l.batch());
    assertEquals(new ThinkTime(ThinkDistribution.EXPONENTIAL, 500), l.think());
    assertEquals(new DisturbanceRates(1500, 7, 2, 3, 4, 5, 6), l.rates());
    assertEquals(DurationSpec.simulatedMs(3), s.duration());
    assertEquals(3_000_000_000L, s.duration().simulatedPs());
    CheckSpec c = s.checks();
    assertEquals(List.of(CheckKind.CID_COMPACT, CheckKind.GS_ACCESS), c.disabled());
    assertEquals(List.of(CheckKind.CID_UNIQUE, CheckKind.COUNTER_SUM), c.failOn());
    assertTrue(c.fails(CheckKind.COUNTER_SUM));
    assertFalse(c.fails(CheckKind.OBJECT_CONSERVATION));
    assertFalse(c.enabled(CheckKind.GS_ACCESS));
    assertTrue(s.outputs().trace());
  }

  @Test
  void hexAddressesAreIntegers() {
    Scenario s = ScenarioLoader.load(MINIMAL.replace("threads: 2,",
        "threads: 2, gs_mode: {origin: 0x10000000, stride: 0x10000},")
        + "kernel: {mmap_min_addr: 0x10000}\n", "hex.yaml");
    assertEquals(0x1000_0000L, s.processes().get(0).gsMode().origin());
    assertEquals(0x1_0000L, s.processes().get(0).gsMode().stride());
    assertEquals(65_536, s.kernel().mmapMinAddr());
  }

  @Test
  void withVariantsKeepsTheNamedOnesInTheGivenOrder() {
    Scenario s = ScenarioLoader.load(MINIMAL, "m.yaml");
    Scenario two = s.withVariants(List.of("gs-mm_cid", "rseq-cpu"));
    assertEquals(List.of(Abi.GS_MM_CID, Abi.RSEQ_CPU),
        two.variants().stream().map(VariantSpec::abi).toList());
    ScenarioException e =
        assertThrows(ScenarioException.class, () -> s.withVariants(List.of("rseq-gs")));
    assertEquals("m.yaml: no variant 'rseq-gs'; this scenario has rseq-cpu, rseq-mm_cid,"
        + " rseq-cpu-cached, gs-mm_cid", e.getMessage());
  }

  /**
   * The same text gives equal records under the Turkish locale (where "I".toLowerCase() is a
   * dotless ı) and the root locale, and a misspelling is rejected with the same message in both.
   */
  @Test
  void loadingDoesNotDependOnTheDefaultLocale() {
    String text = MINIMAL.replace("kind: slab", "kind: list, mix: {pop: 1, push: 1}")
        + "kernel: {id_update: on-change, cid_allocator: mm_cid-6.19}\n"
        + "checks: {disabled: [gs_access], fail_on: [per_id_region, object_conservation]}\n";
    String bad = MINIMAL.replace("kind: slab", "kind: LIST");
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      Scenario turkish = ScenarioLoader.load(text, "t.yaml");
      String turkishError = assertThrows(ScenarioException.class,
          () -> ScenarioLoader.load(bad, "t.yaml")).getMessage();
      Locale.setDefault(Locale.ROOT);
      assertEquals(ScenarioLoader.load(text, "t.yaml"), turkish);
      assertEquals(assertThrows(ScenarioException.class,
          () -> ScenarioLoader.load(bad, "t.yaml")).getMessage(), turkishError);
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void theTestJvmRunsUnderAForeignLocale() {
    // docs/decisions.md D4: surefire starts the test JVM with -Duser.language=tr.
    assertEquals("tr", Locale.getDefault().getLanguage());
  }

  @Test
  void loadingAPathNamesThePathAndReportsAMissingFile(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("m.yaml");
    Files.writeString(file, MINIMAL, StandardCharsets.UTF_8);
    assertEquals(file.toString(), ScenarioLoader.load(file).source());
    ScenarioException e = assertThrows(ScenarioException.class,
        () -> ScenarioLoader.load(dir.resolve("nope.yaml")));
    assertEquals(dir.resolve("nope.yaml") + ": no such file", e.getMessage());
    Files.write(file, new byte[] {'s', ':', ' ', (byte) 0xff});
    assertTrue(assertThrows(ScenarioException.class, () -> ScenarioLoader.load(file))
        .getMessage().endsWith(": not UTF-8 text"));
  }

  /** The full example of docs/scenario-format.md is a valid scenario (the docs cannot rot). */
  @Test
  void theDocumentedExampleLoads() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "scenario-format.md"));
    Matcher m = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(doc);
    assertTrue(m.find(), "docs/scenario-format.md has a yaml example");
    Scenario s = ScenarioLoader.load(m.group(1), "scenario-format.md");
    assertEquals("docs-example", s.name());
    assertEquals(3, s.variants().size());
  }
}
