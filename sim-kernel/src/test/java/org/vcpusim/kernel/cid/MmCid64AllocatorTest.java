package org.vcpusim.kernel.cid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vcpusim.core.stats.StatsRegistry;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.topology.CpuMask;
import org.vcpusim.kernel.topology.CpuTopology;

/**
 * Focused tests of {@link MmCid64Allocator}: per-CPU reuse without atomics, lazy put, migration
 * steal, compaction after threads exit.
 */
class MmCid64AllocatorTest {

  private static void advance(CidHarness h, long ps) {
    long end = h.now + ps;
    while (h.now < end) {
      h.tick();
    }
  }

  @Test
  void aCpuReusesItsCachedCidWithoutAtomics() {
    CidHarness h = new CidHarness(CpuTopology.flat(2), MmCid64Allocator.factory());
    MmCid64Allocator a = (MmCid64Allocator) h.policy;
    Task t = h.newProcess(CpuMask.of(1));
    int pid = t.process().pid();
    h.newThread(pid, CpuMask.of(1));
    int first = h.current[1];
    assertEquals(0, h.cid.cid(h.kernel.task(first)));
    assertEquals(1, a.bitmapAllocations(pid));
    long reuses = a.pcpuReuses(pid);
    long charged = h.kernel.charged(CostCategory.KERNEL_SWITCH);

    h.sleep(1);
    int second = h.current[1];
    assertTrue(second != first && second >= 0);
    assertEquals(0, h.cid.cid(h.kernel.task(second)), "the sibling borrows the CPU's cid");
    assertEquals(MmCidAllocator.UNSET, h.cid.cid(h.kernel.task(first)), "switched out: none");
    h.sleep(1);
    Task other = h.newProcess(CpuMask.of(1));
    assertEquals(other.tid(), h.current[1]);
    assertEquals(0, h.cid.cid(other), "another mm has its own ids");
    h.wake(first);
    assertEquals(first, h.current[1]);
    assertEquals(0, h.cid.cid(h.kernel.task(first)), "back on its CPU: the cached cid again");

    assertEquals(1, a.bitmapAllocations(pid), "no further bitmap allocation");
    assertEquals(reuses + 2, a.pcpuReuses(pid));
    assertEquals(
        charged + MmCid64Allocator.BITMAP_ATOMIC_CYCLES,
        h.kernel.charged(CostCategory.KERNEL_SWITCH),
        "only the other mm's first allocation cost an atomic");
    assertEquals(0, a.pcpuCid(pid, 1));
  }

  @Test
  void aMigratingTaskStealsItsCidFromTheCpuItLeft() {
    CidHarness h = new CidHarness(CpuTopology.flat(4), MmCid64Allocator.factory());
    MmCid64Allocator a = (MmCid64Allocator) h.policy;
    Task t = h.newProcess(CpuMask.of(0));
    int pid = t.process().pid();
    h.newThread(pid, CpuMask.of(2));
    assertEquals(0, h.cid.cid(t));
    h.sleep(0);
    assertEquals(0, a.pcpuCid(pid, 0), "switched out, the cid stays cached on cpu 0");

    h.setAffinity(t.tid(), CpuMask.of(3));
    h.wake(t.tid());

    assertEquals(t.tid(), h.current[3]);
    assertEquals(1, a.migrationSteals(pid));
    assertEquals(MmCidAllocator.UNSET, a.pcpuCid(pid, 0), "taken from the source CPU");
    assertEquals(0, h.cid.cid(t), "the cid followed the task");
    assertEquals(2, a.bitmapAllocations(pid), "no new allocation for the moved task");
    assertEquals(2, a.allocatedIds(pid));
  }

  @Test
  void noStealWhenAnotherTaskOfTheMmRunsOnTheSourceCpu() {
    CidHarness h = new CidHarness(CpuTopology.flat(2), MmCid64Allocator.factory());
    MmCid64Allocator a = (MmCid64Allocator) h.policy;
    Task t = h.newProcess(CpuMask.of(0));
    int pid = t.process().pid();
    Task sibling = h.newThread(pid, CpuMask.of(0));
    h.yield(0);
    assertEquals(sibling.tid(), h.current[0]);
    h.setAffinity(t.tid(), CpuMask.of(1));
    assertEquals(t.tid(), h.current[1]);
    assertEquals(0, a.migrationSteals(pid));
    assertEquals(0, h.cid.cid(sibling));
    assertEquals(1, h.cid.cid(t), "a fresh cid on the destination");
  }

  /**
   * Three threads on three CPUs hold cids 0, 1, 2; the two on CPUs 0 and 1 exit. The survivor
   * keeps cid 2 while it runs: the scan marks it LAZY_PUT (weight 1) but never frees a running
   * task's cid. When it blocks, the lazy put frees it, and its next switch-in takes cid 0 =
   * min(users, nr_cpus_allowed) - 1.
   */
  @Test
  void compactionShrinksIdsAfterThreadsExitWithoutFreeingARunningTasksCid() {
    CidHarness h = new CidHarness(CpuTopology.flat(4), MmCid64Allocator.factory());
    MmCid64Allocator a = (MmCid64Allocator) h.policy;
    Task t0 = h.newProcess(CpuMask.of(0));
    int pid = t0.process().pid();
    Task t1 = h.newThread(pid, CpuMask.of(1));
    Task t2 = h.newThread(pid, CpuMask.of(2));
    h.setAffinity(t0.tid(), CpuMask.range(0, 3));
    assertEquals(2, h.cid.cid(t2));
    h.exit(t0.tid());
    h.exit(t1.tid());
    assertEquals(1, a.allocatedIds(pid), "exit frees the exiting task's CPU cid");

    advance(h, 2 * MmCid64Allocator.DEFAULT_PERIOD_PS + 2 * h.tickPs);

    assertTrue(a.compactionScans(pid) >= 2, "scans: " + a.compactionScans(pid));
    assertEquals(2, h.cid.cid(t2), "a running task's cid is never taken away");
    assertEquals(2 | MmCid64Allocator.LAZY_PUT, a.pcpuCid(pid, 2));
    assertEquals(1, a.clearedByCompaction(pid));
    assertTrue(h.kernel.charged(CostCategory.RETURN_TO_USER)
        >= a.compactionScans(pid) * 4 * MmCid64Allocator.SCAN_CYCLES_PER_CPU);

    h.sleep(2);
    assertEquals(0, a.allocatedIds(pid), "the lazy put freed it at switch-out");
    h.wake(t2.tid());
    assertEquals(0, h.cid.cid(t2), "below min(users 1, nr_cpus_allowed 4)");
  }

  @Test
  void oldCidsOfCpusTheMmLeftAreClearedAfterAPeriod() {
    long period = Ticks.fromMillis(20);
    CidHarness h = new CidHarness(CpuTopology.flat(4), MmCid64Allocator.factory(period));
    MmCid64Allocator a = (MmCid64Allocator) h.policy;
    Task t0 = h.newProcess(CpuMask.of(0));
    int pid = t0.process().pid();
    Task t1 = h.newThread(pid, CpuMask.of(1));
    h.sleep(1);
    assertEquals(1, a.pcpuCid(pid, 1), "cached after t1 blocked");

    advance(h, 2 * period + 2 * h.tickPs);

    assertEquals(MmCidAllocator.UNSET, a.pcpuCid(pid, 1), "older than a period: cleared");
    assertEquals(0, a.pcpuCid(pid, 0), "cpu 0 runs t0: kept");
    assertEquals(1, a.allocatedIds(pid));
    StatsRegistry stats = new StatsRegistry();
    h.cid.publish(stats);
    String p = "cid.mm_cid-6_4.mm" + pid + ".";
    assertEquals(a.compactionScans(pid), stats.longGauge(p + "compaction_scans").value());
    assertEquals(1, stats.longGauge(p + "compaction_cleared_old").value());
    assertEquals(0, stats.longGauge(p + "migration_steals").value());
    assertEquals(1, stats.longGauge("cid.policy_mm_cid-6_4").value());
    assertEquals(MmCidAllocator.UNSET, h.cid.cid(t1));
  }
}
