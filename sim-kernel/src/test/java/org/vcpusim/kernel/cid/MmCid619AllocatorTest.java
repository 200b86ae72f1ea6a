package org.vcpusim.kernel.cid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.vcpusim.core.stats.StatsRegistry;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.topology.CpuMask;

/** One test per rule of {@link MmCid619Allocator}, driven through {@link Cid619Harness}. */
class MmCid619AllocatorTest {
  private static final int ONCPU = MmCid619Allocator.MM_CID_ONCPU;

  @Test
  void perTaskModeIdsAreTakenAtForkAndSurviveSwitchesAndMigrations() {
    Cid619Harness h = new Cid619Harness(4);
    Task main = h.spawnProcess(CpuMask.first(4));
    List<Task> ts = new ArrayList<>(List.of(main));
    ts.addAll(h.spawnThreads(main, CpuMask.first(4), 2));
    int pid = main.process().pid();
    TreeMap<Integer, Integer> ids = new TreeMap<>();
    for (Task t : ts) {
      ids.put(t.tid(), h.cid.cid(t));
    }
    assertEquals(List.of(0, 1, 2), new ArrayList<>(ids.values()), "lowest free ids, at fork");
    assertEquals(3, h.cid.maxCids(pid), "opt = min(4 CPUs, 3 users) = 3, +25% rounds to 3");
    for (int round = 0; round < 12; round++) {
      Task t = ts.get(round % ts.size());
      // Move it to the next CPU (a migration while running or queued), then make CPUs switch.
      int cpu = Math.max(h.cpuOf(t), 0);
      assertEquals(0, h.setAffinity(t, CpuMask.of((cpu + 1 + round) % 4)));
      h.yield(round % 4);
      h.sleep((round + 1) % 4);
      h.ticks(3);
      for (Task s : ts) {
        if (h.sched.task(s.tid()).state() == org.vcpusim.kernel.sched.TaskState.SLEEPING) {
          h.wake(s);
        }
      }
      h.check();
      for (Task s : ts) {
        assertEquals(ids.get(s.tid()), h.cid.cid(s), s + " keeps its id in per-task mode");
      }
    }
    assertTrue(h.sched.tasks().stream().mapToLong(s -> s.migrations()).sum() > 0);
    assertFalse(h.cid.perCpuMode(pid));
    assertEquals(0, h.cid.switchesToPerCpu(pid));
  }

  @Test
  void moreUsersThanMaxCidsSwitchesToPerCpuModeAndRunningTasksBorrowTheirCpusIds() {
    Cid619Harness h = new Cid619Harness(4);
    Task main = h.spawnProcess(CpuMask.first(4));
    List<Task> ts = h.spawnThreads(main, CpuMask.first(4), 3);
    int pid = main.process().pid();
    assertFalse(h.cid.perCpuMode(pid), "4 users fit max_cids = min(4 + 1, 4) = 4");
    for (int cpu = 0; cpu < 4; cpu++) {
      assertTrue(h.running(cpu) != null, "one thread per CPU");
    }
    Task fifth = h.spawnThread(main, CpuMask.first(4));
    h.check();
    assertTrue(h.cid.perCpuMode(pid), "5 users > max_cids 4");
    assertEquals(2, h.cid.pcpuThreshold(pid), "max(min(4 - 1, 4 / 2), 1)");
    assertEquals(1, h.cid.switchesToPerCpu(pid));
    assertEquals(MmCidAllocator.UNSET, h.cid.cid(fifth), "a thread forked in per-CPU mode has none");
    // The walk visited the 4 other users, all running: each keeps its id, in transit.
    assertEquals(4, h.cid.fixupVisits(pid));
    assertEquals(4 * MmCid619Allocator.FIXUP_VISIT_CYCLES,
        h.kernel.charged(CostCategory.KERNEL_SWITCH));
    ts.add(main);
    for (Task t : ts) {
      assertNotEquals(0, h.cid.rawTaskCid(t.tid()) & MmCid619Allocator.MM_CID_TRANSIT);
    }
    // A task keeps its transit id until it is switched out: make every CPU switch.
    for (int cpu = 0; cpu < 4; cpu++) {
      Task t = h.running(cpu);
      h.sleep(cpu);
      h.check();
      h.wake(t);
      h.check();
    }
    h.ticks(20);
    h.check();
    int borrowed = 0;
    for (int cpu = 0; cpu < 4; cpu++) {
      Task t = h.running(cpu);
      int raw = h.cid.rawTaskCid(t.tid());
      assertEquals(ONCPU, raw & ONCPU, t + " borrows a CPU-owned id");
      assertEquals(h.cid.rawCpuCid(pid, cpu), raw);
      borrowed++;
    }
    assertEquals(4, borrowed);
    assertTrue(h.sched.task(fifth.tid()).sumExecRuntime() > 0, "the fifth thread ran too");
  }

  @Test
  void perCpuModeLastsUntilUsersDropBelowTheThresholdThenReturnsToPerTask() {
    Cid619Harness h = new Cid619Harness(8);
    Task main = h.spawnProcess(CpuMask.first(8));
    List<Task> ts = h.spawnThreads(main, CpuMask.first(8), 8);
    int pid = main.process().pid();
    assertTrue(h.cid.perCpuMode(pid), "9 users > max_cids min(8 + 2, 8) = 8");
    assertEquals(4, h.cid.pcpuThreshold(pid), "max(min(8 - 2, 8 / 2), 1)");
    h.ticks(50);
    // Down to 5 users: max_cids would be 6 and per-task mode would fit, but 5 >= pcpu_thrs.
    for (int i = 0; i < 4; i++) {
      h.exit(ts.remove(ts.size() - 1));
      h.check();
    }
    assertEquals(6, h.cid.maxCids(pid));
    assertTrue(h.cid.perCpuMode(pid), "between the thresholds the mode stays");
    h.exit(ts.remove(ts.size() - 1));
    assertTrue(h.cid.perCpuMode(pid), "4 users are not below pcpu_thrs 4");
    assertEquals(0, h.cid.switchesToPerTask(pid));
    long visitsBefore = h.cid.fixupVisits(pid);
    h.exit(ts.remove(ts.size() - 1));
    h.check();
    assertFalse(h.cid.perCpuMode(pid), "3 users < 4: back to per-task mode");
    assertEquals(1, h.cid.switchesToPerTask(pid));
    assertEquals(0, h.cid.pcpuThreshold(pid));
    assertEquals(8, h.cid.fixupVisits(pid) - visitsBefore, "the walk visits every possible CPU");
    h.ticks(50);
    h.check();
    for (Task t : h.liveThreads(main)) {
      int raw = h.cid.rawTaskCid(t.tid());
      assertEquals(0, raw & ONCPU, t + " holds no CPU-owned id in per-task mode");
      assertTrue(h.cid.cid(t) >= 0 && h.cid.cid(t) < h.cid.maxCids(pid), t + " converged");
    }
  }

  @Test
  void idsAboveAShrunkMaxCidsConvergeAtTheNextSwitchIn() {
    Cid619Harness h = new Cid619Harness(8);
    Task main = h.spawnProcess(CpuMask.first(8));
    List<Task> ts = new ArrayList<>(List.of(main));
    ts.addAll(h.spawnThreads(main, CpuMask.first(8), 5));
    int pid = main.process().pid();
    assertEquals(7, h.cid.maxCids(pid));
    for (int i = 0; i < 6; i++) {
      assertEquals(i, h.cid.cid(ts.get(i)));
    }
    for (int i = 0; i < 4; i++) {
      h.exit(ts.get(i));
    }
    Task a = ts.get(4);
    Task b = ts.get(5);
    assertEquals(2, h.cid.maxCids(pid), "2 users: max_cids = 2");
    assertEquals(4, h.cid.cid(a), "a running task keeps its id until it is switched in again");
    assertEquals(5, h.cid.cid(b));
    assertEquals(0, h.cid.convergences(pid));
    h.check();
    for (Task t : List.of(a, b)) {
      int cpu = h.cpuOf(t);
      h.sleep(cpu);
      h.wake(t);
      assertEquals(cpu, h.cpuOf(t), "woken on its idle previous CPU, whose slot caches its id");
    }
    h.check();
    assertEquals(0, h.cid.cid(a), "converged to the lowest free id below max_cids");
    assertEquals(1, h.cid.cid(b));
    assertEquals(2, h.cid.convergences(pid));
    assertEquals(new TreeSet<>(List.of(0, 1)), new TreeSet<>(h.cid.cidmask(pid).stream().boxed()
        .toList()), "the old ids went back to the pool");
  }

  @Test
  void growingTheAffinityRaisesMaxCidsSoAThirdPinnedThreadStaysPerTask() {
    for (boolean widen : new boolean[] {false, true}) {
      Cid619Harness h = new Cid619Harness(8);
      CpuMask pair = CpuMask.of(0, 1);
      Task main = h.spawnProcess(pair);
      Task second = h.spawnThread(main, pair);
      int pid = main.process().pid();
      assertEquals(2, h.cid.maxCids(pid));
      if (widen) {
        h.setAffinity(second, CpuMask.first(4));
        assertEquals(4, h.sched.process(pid).nrCpusAllowed());
        assertEquals(2, h.cid.maxCids(pid), "opt = min(4 CPUs, 2 users) = 2");
      }
      h.spawnThread(main, pair);
      h.check();
      assertEquals(widen ? 3 : 2, h.cid.maxCids(pid));
      assertEquals(!widen, h.cid.perCpuMode(pid), "3 users vs max_cids, widened " + widen);
    }
  }

  @Test
  void growingTheAffinityInPerCpuModeRaisesTheThresholdForTheSwitchBack() {
    for (boolean widen : new boolean[] {false, true}) {
      Cid619Harness h = new Cid619Harness(8);
      CpuMask pair = CpuMask.of(0, 1);
      Task main = h.spawnProcess(pair);
      List<Task> ts = h.spawnThreads(main, pair, 4);
      int pid = main.process().pid();
      assertTrue(h.cid.perCpuMode(pid), "5 users on 2 CPUs");
      assertEquals(2, h.cid.pcpuThreshold(pid), "recorded at the switch, with 3 users on 2 CPUs");
      if (widen) {
        h.setAffinity(ts.get(0), CpuMask.first(8));
        assertEquals(6, h.cid.maxCids(pid), "opt = min(8, 5) = 5, +25%");
        assertEquals(4, h.cid.pcpuThreshold(pid), "max(min(5 - 1, 4), 1)");
        assertTrue(h.cid.perCpuMode(pid), "5 users are not below 4");
      }
      h.exit(ts.get(3));
      h.exit(ts.get(2));
      h.check();
      assertEquals(!widen, h.cid.perCpuMode(pid), "3 users vs pcpu_thrs, widened " + widen);
    }
  }

  @Test
  void execLeavesTheOldUsersAndRejoinsAsTheFirstUser() {
    Cid619Harness h = new Cid619Harness(4);
    Task main = h.spawnProcess(CpuMask.first(4));
    List<Task> ts = h.spawnThreads(main, CpuMask.first(4), 5);
    int pid = main.process().pid();
    assertTrue(h.cid.perCpuMode(pid));
    Task last = ts.get(4);
    while (h.cpuOf(last) < 0) {
      h.ticks(1);
    }
    h.exec(last);
    h.check();
    assertFalse(h.cid.perCpuMode(pid));
    assertEquals(0, h.cid.cid(last), "the first user of the new image takes id 0");
    assertEquals(1, h.cid.users(pid));
    assertEquals(1, h.cid.cidmask(pid).cardinality());
  }

  @Test
  void publishWritesThePerMmStatistics() {
    Cid619Harness h = new Cid619Harness(4);
    Task main = h.spawnProcess(CpuMask.first(4));
    h.spawnThreads(main, CpuMask.first(4), 4);
    int pid = main.process().pid();
    StatsRegistry stats = new StatsRegistry();
    h.cid.publish(stats);
    String p = "cid.mm_cid-6_19.mm" + pid + ".";
    assertEquals(1, stats.longGauge(p + "to_percpu").value());
    assertEquals(0, stats.longGauge(p + "to_pertask").value());
    assertEquals(4, stats.longGauge(p + "fixup_visits").value());
    assertEquals(4 * MmCid619Allocator.FIXUP_VISIT_CYCLES,
        stats.longGauge(p + "fixup_cycles").value());
    assertEquals(0, stats.longGauge(p + "convergences").value());
    assertEquals("mm_cid-6.19", MmCid619Allocator.factory().create(h.kernel, h.sched).name());
  }
}
