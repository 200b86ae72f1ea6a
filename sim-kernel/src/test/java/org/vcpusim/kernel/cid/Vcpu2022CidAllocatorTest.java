package org.vcpusim.kernel.cid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vcpusim.core.stats.StatsRegistry;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.testing.FakeKernel;
import org.vcpusim.kernel.topology.CpuMask;
import org.vcpusim.kernel.topology.CpuTopology;

/** Focused tests of {@link Vcpu2022CidAllocator}: hand-over, lowest free id, the lock's waits. */
class Vcpu2022CidAllocatorTest {

  @Test
  void aSameMmSwitchHandsTheIdOverWithoutTheLock() {
    CidHarness h = new CidHarness(CpuTopology.flat(1), Vcpu2022CidAllocator.factory());
    Vcpu2022CidAllocator a = (Vcpu2022CidAllocator) h.policy;
    Task first = h.newProcess(CpuMask.of(0));
    int pid = first.process().pid();
    Task second = h.newThread(pid, CpuMask.of(0));
    int running = h.current[0];
    assertEquals(0, h.cid.cid(h.kernel.task(running)));
    long acquisitions = a.lockAcquisitions(pid);
    long handovers = a.handovers(pid);
    long charged = h.kernel.charged(CostCategory.KERNEL_SWITCH);

    h.sleep(0);

    int next = h.current[0];
    assertTrue(next != running && (next == first.tid() || next == second.tid()));
    assertEquals(0, h.cid.cid(h.kernel.task(next)), "next took prev's id");
    assertEquals(MmCidAllocator.UNSET, h.cid.cid(h.kernel.task(running)));
    assertEquals(handovers + 1, a.handovers(pid));
    assertEquals(acquisitions, a.lockAcquisitions(pid), "a hand-over takes no lock");
    assertEquals(charged, h.kernel.charged(CostCategory.KERNEL_SWITCH), "and costs nothing");
    assertEquals(1, a.allocatedIds(pid));
  }

  @Test
  void aSwitchToAnotherMmOrIdleReleasesAndTheNextSwitchInTakesTheLowestFreeId() {
    CidHarness h = new CidHarness(CpuTopology.flat(3), Vcpu2022CidAllocator.factory());
    Vcpu2022CidAllocator a = (Vcpu2022CidAllocator) h.policy;
    Task t0 = h.newProcess(CpuMask.of(0));
    int pid = t0.process().pid();
    Task t1 = h.newThread(pid, CpuMask.of(1));
    Task t2 = h.newThread(pid, CpuMask.of(2));
    assertEquals(List.of(0, 1, 2), List.of(h.cid.cid(t0), h.cid.cid(t1), h.cid.cid(t2)));

    h.sleep(0);
    assertEquals(MmCidAllocator.UNSET, h.cid.cid(t0), "switch to idle releases");
    assertEquals(2, a.allocatedIds(pid));
    h.sleep(1);
    assertEquals(1, a.allocatedIds(pid), "t1's id 1 was released");
    Task other = h.newProcess(CpuMask.of(1));
    assertEquals(other.tid(), h.current[1], "cpu 1 now runs another mm");
    assertEquals(0, h.cid.cid(other), "the other mm has its own ids");

    h.sleep(1);
    h.wake(t1.tid());
    assertEquals(t1.tid(), h.current[1]);
    assertEquals(0, h.cid.cid(t1), "lowest free id: 0, released by t0");
    h.wake(t0.tid());
    assertEquals(1, h.cid.cid(t0), "then 1");
    assertEquals(List.of(0, 1, 2), List.of(h.cid.cid(t1), h.cid.cid(t0), h.cid.cid(t2)));
  }

  @Test
  void exitAndExecReleaseAndExecAllocatesAgain() {
    CidHarness h = new CidHarness(CpuTopology.flat(2), Vcpu2022CidAllocator.factory());
    Vcpu2022CidAllocator a = (Vcpu2022CidAllocator) h.policy;
    Task t0 = h.newProcess(CpuMask.of(0));
    int pid = t0.process().pid();
    Task t1 = h.newThread(pid, CpuMask.of(1));
    assertEquals(1, h.cid.cid(t1));
    h.exec(1);
    assertEquals(0, h.cid.cid(t1), "t0 exited, so after exec the lowest free id is 0");
    assertEquals(1, a.allocatedIds(pid));
    h.exit(t1.tid());
    assertEquals(0, a.allocatedIds(pid));
  }

  /**
   * The contention that retired this allocator (kernel.md §2.5): on every CPU a thread of mm A
   * alternates with a single-threaded process, so every switch releases or allocates an id of A
   * under A's lock, and every CPU's tick comes at the same instant. The spin grows with the
   * number of CPUs and is zero on one CPU (its own back-to-back acquisitions never wait).
   */
  @Test
  void lockWaitGrowsWithCpusSwitchingAtTheSameTicksAndIsZeroOnOne() {
    long[] waitPs = new long[5];
    long[] maxWaitPs = new long[5];
    long[] acquisitions = new long[5];
    int[] cpuCounts = {1, 2, 4, 8, 16};
    for (int i = 0; i < cpuCounts.length; i++) {
      int n = cpuCounts[i];
      CidHarness h = new CidHarness(CpuTopology.flat(n), Vcpu2022CidAllocator.factory());
      Vcpu2022CidAllocator a = (Vcpu2022CidAllocator) h.policy;
      Task first = h.newProcess(CpuMask.of(0));
      int pid = first.process().pid();
      for (int cpu = 1; cpu < n; cpu++) {
        h.newThread(pid, CpuMask.of(cpu));
      }
      for (int cpu = 0; cpu < n; cpu++) {
        h.newProcess(CpuMask.of(cpu));
      }
      long end = h.now + Ticks.fromMillis(200);
      while (h.now < end) {
        h.tick();
      }
      waitPs[i] = a.lockWaitPs(pid);
      maxWaitPs[i] = a.lockWaitMaxPs(pid);
      acquisitions[i] = a.lockAcquisitions(pid);
      long cycles = Ticks.toCycles(waitPs[i], FakeKernel.FREQUENCY_HZ);
      assertEquals(cycles, a.lockWaitCycles(pid), 1 + acquisitions[i], "per-spin rounding only");
    }
    assertEquals(0, waitPs[0], "one CPU never waits for itself");
    assertTrue(acquisitions[0] > 20, "the single CPU did switch: " + acquisitions[0]);
    for (int i = 1; i < cpuCounts.length; i++) {
      assertTrue(
          waitPs[i] > waitPs[i - 1],
          "wait must grow with CPUs: " + List.of(waitPs[i - 1], waitPs[i]));
      assertTrue(maxWaitPs[i] >= maxWaitPs[i - 1]);
    }
    long holdPs =
        Ticks.fromCycles(Vcpu2022CidAllocator.DEFAULT_LOCK_HOLD_CYCLES, FakeKernel.FREQUENCY_HZ);
    assertTrue(
        maxWaitPs[4] >= 15 * holdPs,
        "16 CPUs at one tick: the last of 16 simultaneous first acquisitions waits for 15 holds");
  }

  @Test
  void publishesItsFiguresPerMm() {
    CidHarness h = new CidHarness(CpuTopology.flat(2), Vcpu2022CidAllocator.factory());
    Task t = h.newProcess(CpuMask.of(0));
    StatsRegistry stats = new StatsRegistry();
    h.cid.publish(stats);
    String p = "cid.vcpu-2022.mm" + t.process().pid() + ".";
    assertEquals(1, stats.longGauge(p + "lock_acquisitions").value());
    assertEquals(0, stats.longGauge(p + "lock_wait_ps").value());
    assertEquals(0, stats.longGauge(p + "handovers").value());
    assertEquals(1, stats.longGauge("cid.policy_vcpu-2022").value());
  }
}
