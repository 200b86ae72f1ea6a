package org.vcpusim.scenarios.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vcpusim.cpu.asm.AsmException;
import org.vcpusim.cpu.exec.MemoryLevel;
import org.vcpusim.cpu.profile.CpuProfiles;

/**
 * {@link RoutineRunner} on small routines whose cost and effect can be worked out by hand: what
 * the process looks like to the routine, how many calls take effect, what the per-instruction
 * statistics count, the latency of a dependent-load chain, and each way a run can stop.
 */
class RoutineRunnerTest {

  static String resource(String name) {
    try (InputStream in = RoutineRunnerTest.class.getResourceAsStream("/asm/" + name)) {
      assertNotNull(in, name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RoutineReport report(RoutineResult r) {
    return assertInstanceOf(RoutineReport.class, r, () -> r.toString());
  }

  private static RoutineStopped stopped(RoutineResult r) {
    return assertInstanceOf(RoutineStopped.class, r, () -> r.toString());
  }

  private static long littleEndian(byte[] b) {
    long v = 0;
    for (int i = b.length - 1; i >= 0; i--) {
      v = (v << 8) | (b[i] & 0xff);
    }
    return v;
  }

  /** A chain of {@code n} dependent loads: ring points at itself. */
  private static String chase(int n) {
    StringBuilder sb = new StringBuilder("chase:\n  leaq ring(%rip), %rax\n");
    for (int i = 0; i < n; i++) {
      sb.append("  movq (%rax), %rax\n");
    }
    sb.append("  ret\n.data\n.balign 64\nring: .quad ring\n");
    return sb.toString();
  }

  @Test
  void exactlyTheRequestedCallsTakeEffect() {
    RoutineReport r = report(RoutineRunner.run(resource("percpu-counter.s"), "percpu-counter.s",
        RoutineOptions.of("percpu_inc").withIterations(37)
            .withDumps(List.of(DumpRequest.parse("counters:8"), DumpRequest.parse("aborts:8")))));
    assertEquals(37, littleEndian(r.dumps().get("counters").bytes()));
    assertEquals(0, littleEndian(r.dumps().get("aborts").bytes()), "no kernel, no abort");
    assertEquals(37, r.iterations());
    assertEquals(37, r.warmupIterations());
  }

  @Test
  void processIsSetUpAsGlibcSetsItUp() {
    String src = String.join("\n",
        "probe:",
        "  movq __rseq_offset(%rip), %rdx",
        "  movq %fs:0, %rax",          // tcb self pointer
        "  movq %fs:16, %rbx",         // tcbhead_t.self, in rbx: the driver's, restored below
        "  cmpq %rax, %rbx",
        "  jne 9f",
        "  movq %rax, out(%rip)",
        "  movq %rdx, out+8(%rip)",
        "  movl %fs:0(%rdx), %ecx",    // cpu_id_start
        "  movl %fs:4(%rdx), %esi",    // cpu_id
        "  movl %fs:24(%rdx), %edi",   // mm_cid
        "  movl %ecx, out+16(%rip)",
        "  movl %esi, out+20(%rip)",
        "  movl %edi, out+24(%rip)",
        "  movl __rseq_size(%rip), %ecx",
        "  movl %ecx, out+28(%rip)",
        "  leaq probe(%rip), %rbx",
        "  movq %rsp, out+32(%rip)",
        "9:",
        "  ret",
        ".data",
        "out: .zero 40",
        "");
    RoutineReport r = report(RoutineRunner.run(src, "probe.s",
        RoutineOptions.of("probe").withIterations(1).withDumps(List.of(DumpRequest.parse("out:40"),
            DumpRequest.parse("__rseq_offset:8")))));
    byte[] out = r.dumps().get("out").bytes();
    assertEquals(ProcessImage.THREAD_POINTER, littleEndian(Arrays.copyOfRange(out, 0, 8)));
    assertEquals(ProcessImage.RSEQ_OFFSET, littleEndian(Arrays.copyOfRange(out, 8, 16)));
    assertEquals(2336, ProcessImage.RSEQ_OFFSET, "the calibration host's glibc value");
    assertEquals(0, littleEndian(Arrays.copyOfRange(out, 16, 28)), "ids all 0");
    assertEquals(32, littleEndian(Arrays.copyOfRange(out, 28, 32)));
    assertEquals(ProcessImage.STACK_TOP - 8, littleEndian(Arrays.copyOfRange(out, 32, 40)),
        "rsp inside the routine: the return address below a 16-byte aligned top");
    assertEquals("2009000000000000", r.dumps().get("__rseq_offset").hex());
    assertEquals(ProcessImage.THREAD_POINTER + 2336, r.process().rseqArea());
    assertEquals(0, ProcessImage.rseqArea() % 32, "struct rseq is 32-byte aligned");
  }

  @Test
  void perInstructionStatisticsCountTheMeasuredCalls() {
    RoutineReport r = report(RoutineRunner.run(resource("percpu-counter.s"), "percpu-counter.s",
        RoutineOptions.of("percpu_inc").withIterations(200)));
    assertEquals(12, r.perInstruction().size(), "the abort handler never ran");
    for (RoutineReport.InstructionStats s : r.perInstruction()) {
      assertEquals(200, s.count(), s.text());
      assertTrue(s.source().line() > 0 && s.source().file().equals("percpu-counter.s"));
    }
    RoutineReport.InstructionStats add = r.perInstruction().get(10);
    assertEquals("addq $1, (%rax)", add.text());
    assertEquals(200, add.loads());
    assertEquals(200, add.stores());
    assertEquals(200L, add.servedBy().get(MemoryLevel.L1), "warm: every add hits L1");
    RoutineReport.InstructionStats ret = r.perInstruction().get(11);
    assertEquals(200, ret.taken());
    assertEquals(12.0, r.instructionsPerIteration());
    assertEquals(5.0, r.loadsPerIteration(), "rseq_offset, cpu_id_start, cpu_id, add, ret");
    assertEquals(2.0, r.storesPerIteration(), "rseq_cs and the add");
    assertEquals(2.0, r.branches().all());
    assertEquals(1.0, r.branches().conditional());
    assertEquals(1.0, r.branches().taken(), "only the ret: jnz falls through");
    assertEquals(3.0, r.driver().instructionsPerIteration());
    assertEquals(r.cyclesPerIteration(),
        r.routineCyclesPerIteration() + r.driver().cyclesPerIteration(), 1e-9,
        "every retire cycle belongs to the routine or the driver");
    assertTrue(r.latency().cold() > r.latency().warm(), "cold caches cost more");
  }

  /** The cost rule the issue names: N dependent L1 loads cost N x the L1 latency. */
  @ParameterizedTest
  @ValueSource(strings = {"zen5", "icelake"})
  void dependentLoadsCostTheL1LatencyEach(String profile) {
    int l1 = CpuProfiles.load(profile).memory().l1();
    RoutineReport short16 = report(RoutineRunner.run(chase(16), "chase.s",
        RoutineOptions.of("chase").withIterations(50).withProfile(profile)));
    RoutineReport long32 = report(RoutineRunner.run(chase(32), "chase.s",
        RoutineOptions.of("chase").withIterations(50).withProfile(profile)));
    long w16 = short16.latency().warm();
    long w32 = long32.latency().warm();
    assertEquals(16L * l1, w32 - w16, "16 more dependent loads");
    assertTrue(w16 >= 16L * l1 && w16 <= 16L * l1 + 12,
        "16 loads plus the call, lea and ret around them: " + w16);
    // back to back, the chains of successive calls are independent and overlap in the window
    assertTrue(long32.cyclesPerIteration() < w32 / 2.0,
        "calls overlap: " + long32.cyclesPerIteration() + " vs " + w32);
  }

  @Test
  void gsBaseIsSetFromASymbolOrAnAddress() {
    String src = "g:\n  movq %gs:8, %rax\n  movq %rax, out(%rip)\n  ret\n"
        + ".data\n.balign 16\nregion: .quad 0, 0x1234\nout: .quad 0\n";
    RoutineReport bySymbol = report(RoutineRunner.run(src, "g.s", RoutineOptions.of("g")
        .withIterations(1).withGsBase("region").withDumps(List.of(DumpRequest.parse("out:8")))));
    assertEquals(0x1234, littleEndian(bySymbol.dumps().get("out").bytes()));
    long region = bySymbol.process().gsBase();
    RoutineReport byAddress = report(RoutineRunner.run(src, "g.s", RoutineOptions.of("g")
        .withIterations(1).withGsBase(Numbers.hex(region))
        .withDumps(List.of(DumpRequest.parse("out:8")))));
    assertEquals(0x1234, littleEndian(byAddress.dumps().get("out").bytes()));
    assertEquals(region, byAddress.registers().get("gs_base"));
  }

  @Test
  void faultIsAResultWithKindAddressAndLine() {
    RoutineStopped s = stopped(RoutineRunner.run(resource("faults.s"), "faults.s",
        RoutineOptions.of("null_deref")));
    assertEquals(RoutineStopped.Reason.FAULT, s.reason());
    assertEquals("cold", s.phase());
    assertEquals(1, s.call());
    assertEquals(5, s.source().line());
    assertTrue(s.detail().contains("PAGE_FAULT: read at 0x8 (NOT_MAPPED)"), s.detail());
    assertTrue(s.message().contains("faults.s:5:9: movq 8(%rax), %rdx"), s.message());
  }

  @Test
  void syscallStopsTheRunWithoutAKernel() {
    RoutineStopped s = stopped(RoutineRunner.run(resource("faults.s"), "faults.s",
        RoutineOptions.of("getpid")));
    assertEquals(RoutineStopped.Reason.SYSCALL, s.reason());
    assertEquals(10, s.source().line());
    assertTrue(s.message().startsWith("the routine made a syscall"), s.message());
    assertTrue(s.detail().contains("syscall 39") && s.detail().contains("use a scenario"),
        s.detail());
  }

  @Test
  void clobberingTheDriversRegisterStopsTheRun() {
    RoutineStopped s = stopped(RoutineRunner.run(resource("faults.s"), "faults.s",
        RoutineOptions.of("clobbers_rbx")));
    assertEquals(RoutineStopped.Reason.CALLEE_SAVED_CLOBBERED, s.reason());
    assertTrue(s.detail().startsWith("%rbx is 0x0"), s.detail());
    assertEquals(15, s.source().line());
  }

  @Test
  void aRoutineThatNeverReturnsHitsTheInstructionBound() {
    RoutineStopped s = stopped(RoutineRunner.run(resource("faults.s"), "faults.s",
        RoutineOptions.of("spins").withMaxInstructions(10_000)));
    assertEquals(RoutineStopped.Reason.INSTRUCTION_LIMIT, s.reason());
    assertEquals(18, s.source().line());
  }

  @Test
  void badInputIsRejectedBeforeRunning() {
    String src = resource("percpu-counter.s");
    RoutineInputException noEntry = assertThrows(RoutineInputException.class,
        () -> RoutineRunner.run(src, "p.s", RoutineOptions.of("nope")));
    assertTrue(noEntry.getMessage().startsWith("unknown entry symbol 'nope' in p.s; code labels: "),
        noEntry.getMessage());
    assertTrue(noEntry.getMessage().contains("percpu_inc"));
    assertThrows(RoutineInputException.class,
        () -> RoutineRunner.run(src, "p.s", RoutineOptions.of("counters")),
        "data is not an entry");
    RoutineInputException profile = assertThrows(RoutineInputException.class,
        () -> RoutineRunner.run(src, "p.s", RoutineOptions.of("percpu_inc").withProfile("z80")));
    assertEquals("unknown profile 'z80'; known profiles: icelake, zen5", profile.getMessage());
    RoutineInputException dump = assertThrows(RoutineInputException.class,
        () -> RoutineRunner.run(src, "p.s", RoutineOptions.of("percpu_inc")
            .withDumps(List.of(DumpRequest.parse("missing:8")))));
    assertEquals("--dump missing: no symbol 'missing' in p.s", dump.getMessage());
    assertThrows(RoutineInputException.class, () -> RoutineRunner.run(src, "p.s",
        RoutineOptions.of("percpu_inc").withDumps(List.of(DumpRequest.parse("0x10:8")))),
        "unmapped");
    assertThrows(RoutineInputException.class, () -> RoutineOptions.of("x").withIterations(0));
    assertThrows(RoutineInputException.class, () -> DumpRequest.parse("counters"));
    assertThrows(RoutineInputException.class, () -> DumpRequest.parse("counters:x"));
    assertThrows(RoutineInputException.class, () -> DumpRequest.parse("counters:0"));
    assertEquals(new DumpRequest("counters", 16), DumpRequest.parse("counters:0x10"));
  }

  @Test
  void theFileCannotRedefineTheLibcSymbols() {
    AsmException e = assertThrows(AsmException.class, () -> RoutineRunner.run(
        "f: ret\n.data\n__rseq_offset: .quad 0\n", "own.s", RoutineOptions.of("f")));
    assertEquals("own.s", e.location().file());
    assertEquals(3, e.location().line());
  }
}
