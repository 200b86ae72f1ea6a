package org.vcpusim.kernel.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.check.CheckFixtures.SPIN;
import static org.vcpusim.kernel.check.CheckFixtures.findings;
import static org.vcpusim.kernel.machine.TestMachines.asm;
import static org.vcpusim.kernel.machine.TestMachines.machine;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.kernel.machine.Finding;
import org.vcpusim.kernel.machine.Machine;
import org.vcpusim.kernel.machine.MachineConfig;
import org.vcpusim.kernel.machine.ProcessOptions;
import org.vcpusim.kernel.machine.RunOutcome;
import org.vcpusim.kernel.task.Process;

/** {@link CidChecker}: a correct allocator passes, each broken one is caught by its rule. */
class CidCheckerTest {
  private static final AssembledProgram PROGRAM = asm(SPIN);

  /** A process of {@code spinners} spinner threads of {@code n} rounds and one sleeper. */
  private static Machine run(int cpus, Consumer<MachineConfig.Builder> tweak, int spinners, int n,
      int sleeps) {
    Machine m = machine(cpus, tweak);
    Process p = m.spawnProcess("cid", PROGRAM, ProcessOptions.defaults().withEntry("main"));
    for (int i = 0; i < spinners; i++) {
      m.spawnThread(p, "spinner", new long[] {n}, null, "s" + i);
    }
    m.spawnThread(p, "sleeper", new long[] {sleeps}, null, "sleeper");
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromSeconds(1)));
    return m;
  }

  @Test
  void aUniqueBoundedCompactAllocatorPassesEvenWithNoQuietPeriod() {
    Machine m = run(4, b -> b.cidAllocator(TestAllocator.factory(TestAllocator.Mode.LOWEST_FREE))
        .checkQuietPeriod(0), 8, 300, 40);
    assertTrue(m.findings().isEmpty(), m.findings().toString());
    assertTrue(m.stats().longGauge("sched.switches").value() > 100, "many switch-ins checked");
    for (CheckKind k : List.of(CheckKind.CID_UNIQUE, CheckKind.CID_BOUND, CheckKind.CID_COMPACT)) {
      assertEquals(0, m.checkers().violations(k), k.id());
      assertEquals(0, m.stats().counter("check." + k.id() + ".violations").value(), k.id());
    }
    assertTrue(m.cid().highWater(1) > 1, "ids were reused across switches: the test means it");
  }

  @Test
  void theIdentityPolicyPasses() {
    Machine m = run(4, b -> {}, 8, 200, 20);
    assertTrue(m.findings().isEmpty(), m.findings().toString());
  }

  @Test
  void everyTaskHoldingCidZeroBreaksUniqueness() {
    Machine m = run(4, b -> b.cidAllocator(
        TestAllocator.factory(TestAllocator.Mode.CONSTANT_ZERO)), 4, 200, 5);
    List<Finding> f = findings(m, CheckKind.CID_UNIQUE);
    assertFalse(f.isEmpty(), m.findings().toString());
    assertTrue(f.get(0).message().matches(
        "cid_unique: task \\d+ .* holds cid 0 of mm 1, which task \\d+ .* running on cpu \\d holds"
            + " too"), f.get(0).message());
    assertEquals(0, m.checkers().violations(CheckKind.CID_BOUND));
  }

  @Test
  void aCidAtNrCpuIdsBreaksTheBound() {
    Machine m = run(2, b -> b.cidAllocator(
        TestAllocator.factory(TestAllocator.Mode.BEYOND_BOUND)), 1, 20, 2);
    List<Finding> f = findings(m, CheckKind.CID_BOUND);
    assertFalse(f.isEmpty(), m.findings().toString());
    assertTrue(f.get(0).message().contains("holds cid 2 of mm 1, outside [0, nr_cpu_ids = 2)"),
        f.get(0).message());
  }

  @Test
  void anAllocatorThatNeverCompactsIsCaughtOnlyAfterTheQuietPeriod() {
    long quiet = Ticks.fromMillis(1);
    // main (index 0) and four short spinners exit at once; the sleeper (index 5) lives ~10 ms.
    Machine m = run(8, b -> b.cidAllocator(TestAllocator.factory(TestAllocator.Mode.FORK_ORDER))
        .checkQuietPeriod(quiet), 4, 5, 150);
    List<Finding> f = findings(m, CheckKind.CID_COMPACT);
    assertFalse(f.isEmpty(), m.findings().toString());
    assertTrue(f.get(0).message().contains("holds cid 5 of mm 1, not below the test-fork_order"
        + " limit 1 (users 1, nr_cpus_allowed 8)"), f.get(0).message());
    assertTrue(f.get(0).tick() >= quiet, "not before the quiet period: " + f.get(0));
    assertEquals(0, m.checkers().violations(CheckKind.CID_UNIQUE));
    assertEquals(0, m.checkers().violations(CheckKind.CID_BOUND));

    Machine patient = run(8, b -> b.cidAllocator(
        TestAllocator.factory(TestAllocator.Mode.FORK_ORDER)), 4, 5, 150);
    assertEquals(0, patient.checkers().violations(CheckKind.CID_COMPACT),
        "the default quiet period (200 ms) is longer than the run");
  }

  @Test
  void onlyTheFirstFindingsOfAKindAreRecordedAndTheRestCounted() {
    Machine m = run(4, b -> b.cidAllocator(
        TestAllocator.factory(TestAllocator.Mode.CONSTANT_ZERO)), 8, 300, 40);
    long violations = m.checkers().violations(CheckKind.CID_UNIQUE);
    assertTrue(violations > Checkers.FINDINGS_PER_KIND, "violations " + violations);
    assertEquals(Checkers.FINDINGS_PER_KIND, findings(m, CheckKind.CID_UNIQUE).size());
    assertEquals(violations, m.stats().counter("check.cid_unique.violations").value());
  }

  @Test
  void aCheckerTurnedOffReportsNothing() {
    Machine m = run(4, b -> b.cidAllocator(TestAllocator.factory(
        TestAllocator.Mode.CONSTANT_ZERO)).withoutCheck(CheckKind.CID_UNIQUE), 4, 200, 5);
    assertTrue(m.findings().isEmpty(), m.findings().toString());
    assertFalse(m.checkConfig().isEnabled(CheckKind.CID_UNIQUE));
    assertTrue(m.checkConfig().isEnabled(CheckKind.CID_BOUND));
    assertEquals(0, m.checkers().violations(CheckKind.CID_UNIQUE));
  }
}
