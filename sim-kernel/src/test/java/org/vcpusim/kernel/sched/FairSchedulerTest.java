package org.vcpusim.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.core.time.Ticks.PER_MILLISECOND;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vcpusim.kernel.topology.CpuMask;
import org.vcpusim.kernel.topology.CpuTopology;
import org.vcpusim.kernel.topology.CpuTopology.Numbering;

class FairSchedulerTest {
  /** Cores {0,1} {2,3} on socket 0, {4,5} {6,7} on socket 1; one node (and LLC) per socket. */
  private static final CpuTopology TWO_SOCKETS = CpuTopology.of(2, 2, 2, 1, Numbering.CORE_MAJOR);

  private static SchedHarness harness(CpuTopology topology, int hz) {
    return new SchedHarness(
        topology, SchedParams.linuxDefaults(topology.nrCpus(), 0).withHz(hz));
  }

  private static SchedHarness harness(CpuTopology topology) {
    return harness(topology, SchedParams.DEFAULT_HZ);
  }

  // ---------------------------------------------------------------- wake-up placement

  /**
   * Task 100, last run on CPU 0 and now sleeping with {@code mask}, and one pinned hog running (or
   * queued) on each CPU of {@code busy}.
   */
  private static SchedHarness sleeperAmongHogs(CpuMask mask, int... busy) {
    SchedHarness h = harness(TWO_SOCKETS);
    h.step(() -> h.sched.spawn(100, 1, CpuMask.of(0), 0, -1, h.now));
    h.step(() -> h.sched.sleep(100, h.now));
    h.step(() -> assertEquals(0, h.sched.setAffinity(100, mask, h.now)));
    for (int i = 0; i < busy.length; i++) {
      int id = i + 1;
      int cpu = busy[i];
      h.step(() -> h.sched.spawn(id, 2, CpuMask.of(cpu), 0, -1, h.now));
    }
    return h;
  }

  private static int wakePlacement(SchedHarness h) {
    h.step(() -> assertTrue(h.sched.wake(100, h.now)));
    return h.sched.task(100).cpu();
  }

  @Test
  void wakePrefersThePreviousCpuWhenIdle() {
    SchedHarness h = sleeperAmongHogs(TWO_SOCKETS.all(), 4);
    assertEquals(0, wakePlacement(h));
    assertEquals(TaskState.RUNNING, h.sched.task(100).state());
  }

  @Test
  void wakePrefersAnIdleCoreInTheCacheDomainOverAnIdleSibling() {
    assertEquals(2, wakePlacement(sleeperAmongHogs(TWO_SOCKETS.all(), 0)));
  }

  @Test
  void wakeTakesAnIdleSiblingWhenNoCoreOfTheCacheDomainIsIdle() {
    assertEquals(1, wakePlacement(sleeperAmongHogs(TWO_SOCKETS.all(), 0, 2)));
  }

  @Test
  void wakeLeavesTheCacheDomainOnlyWhenItIsBusy() {
    assertEquals(4, wakePlacement(sleeperAmongHogs(TWO_SOCKETS.all(), 0, 1, 2, 3)));
  }

  @Test
  void wakeFallsBackToTheLeastLoadedAllowedCpu() {
    SchedHarness h = sleeperAmongHogs(TWO_SOCKETS.all(), 0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7);
    assertEquals(4, wakePlacement(h));
    assertEquals(TaskState.RUNNABLE, h.sched.task(100).state());
  }

  @Test
  void wakeBreaksLoadTiesByScanOrderFromThePreviousCpu() {
    SchedHarness h = sleeperAmongHogs(CpuMask.of(5, 6), 0, 1, 2, 3, 4, 5, 6, 7);
    assertEquals(5, wakePlacement(h));
  }

  @Test
  void wakeNeverLeavesTheAllowedMask() {
    SchedHarness h = sleeperAmongHogs(CpuMask.of(6, 7), 0, 6);
    assertEquals(7, wakePlacement(h));
    assertEquals(1, h.sched.task(100).migrations());
  }

  // ---------------------------------------------------------------- tick and vruntime

  @Test
  void tickPreemptsOnlyAfterTheSlice() {
    SchedHarness h = harness(CpuTopology.flat(1), 1000);
    h.step(() -> h.sched.spawn(1, 1, CpuMask.of(0), 0, -1, h.now));
    h.step(() -> h.sched.spawn(2, 1, CpuMask.of(0), 0, 1, h.now));
    // latency 6 ms, two tasks: a 3 ms slice; the tick is 1 ms.
    assertEquals(h.sched.task(1).vruntime(), h.sched.task(2).vruntime());
    h.events.clear();
    h.ticks(3);
    assertEquals(1, h.sched.current(0).id());
    assertTrue(h.events.isEmpty(), h.events.toString());
    h.ticks(1);
    assertEquals(
        List.of("resched cpu0 @4000000000", "out cpu0 t1 PREEMPT @4000000000", "in cpu0 t2 @4000000000"),
        h.events);
    SchedTask t1 = h.sched.task(1);
    assertEquals(TaskState.RUNNABLE, t1.state());
    assertEquals(4 * PER_MILLISECOND, t1.sumExecRuntime());
    assertEquals(4 * PER_MILLISECOND, t1.sliceRuntime());
    assertEquals(1, t1.involuntarySwitches());
    assertEquals(4 * PER_MILLISECOND, t1.waitStart());
  }

  @Test
  void vruntimeAdvancesByRunTimeScaledByWeight() {
    SchedHarness h = harness(CpuTopology.flat(2));
    h.checkWaitBound = false;
    h.step(() -> h.sched.spawn(1, 1, CpuMask.of(0), 0, -1, h.now));
    h.step(() -> h.sched.spawn(2, 1, CpuMask.of(1), 5, -1, h.now));
    long v1 = h.sched.task(1).vruntime();
    long v2 = h.sched.task(2).vruntime();
    h.ticks(4);
    long tick = 4 * PER_MILLISECOND;
    assertEquals(335, h.sched.task(2).weight());
    assertEquals(4 * tick, h.sched.task(1).sumExecRuntime());
    assertEquals(4 * tick, h.sched.task(2).sumExecRuntime());
    assertEquals(v1 + 4 * tick, h.sched.task(1).vruntime());
    assertEquals(v2 + 4 * (tick * 1024 / 335), h.sched.task(2).vruntime());
    assertEquals(h.sched.task(1).vruntime(), h.sched.runQueue(0).minVruntime());
  }

  @Test
  void runQueueOrderBreaksVruntimeTiesOnTaskId() {
    SchedHarness h = harness(CpuTopology.flat(1));
    h.step(() -> h.sched.spawn(1, 1, CpuMask.of(0), 0, -1, h.now));
    h.step(() -> h.sched.spawn(3, 1, CpuMask.of(0), 0, 1, h.now));
    h.step(() -> h.sched.spawn(2, 1, CpuMask.of(0), 0, 1, h.now));
    assertEquals(h.sched.task(2).vruntime(), h.sched.task(3).vruntime());
    assertEquals(List.of(h.sched.task(2), h.sched.task(3)), h.sched.runnable(0));
    h.step(() -> h.sched.sleep(1, h.now));
    assertEquals(2, h.sched.current(0).id());
  }

  // ---------------------------------------------------------------- wake-up, sleep, yield

  @Test
  void wakeupPreemptionOnlySetsNeedResched() {
    SchedHarness h = harness(CpuTopology.flat(1));
    h.step(() -> h.sched.spawn(1, 1, CpuMask.of(0), 0, -1, h.now));
    h.step(() -> h.sched.spawn(2, 1, CpuMask.of(0), 0, 1, h.now));
    h.ticks(1);
    assertEquals(2, h.sched.current(0).id());
    h.step(() -> h.sched.sleep(2, h.now));
    h.ticks(10);
    h.events.clear();
    assertTrue(h.sched.wake(2, h.now));
    long min = h.sched.runQueue(0).minVruntime();
    // Sleeper credit: min_vruntime - latency/2 (latency 6 ms on one CPU).
    assertEquals(min - 3 * PER_MILLISECOND, h.sched.task(2).vruntime());
    assertEquals(List.of("wakeup t2 cpu0 @44000000000", "resched cpu0 @44000000000"), h.events);
    assertTrue(h.sched.needsResched(0));
    assertEquals(1, h.sched.current(0).id());
    assertFalse(h.sched.wake(2, h.now));
    h.sched.schedule(0, h.now);
    assertEquals(2, h.sched.current(0).id());
    assertEquals("out cpu0 t1 PREEMPT @44000000000", h.events.get(2));
    assertFalse(h.sched.needsResched(0));
    assertEquals(1, h.sched.task(2).voluntarySwitches());
    assertEquals(1, h.sched.task(2).wakeups());
  }

  @Test
  void yieldHandsTheCpuToACloseCompetitor() {
    SchedHarness h = harness(CpuTopology.flat(1), 1000);
    h.step(() -> h.sched.spawn(1, 1, CpuMask.of(0), 0, -1, h.now));
    h.step(() -> h.sched.spawn(2, 1, CpuMask.of(0), 0, 1, h.now));
    h.events.clear();
    h.step(() -> h.sched.yield(0, h.now));
    assertEquals(List.of("out cpu0 t1 YIELD @0", "in cpu0 t2 @0"), h.events);
    assertEquals(1, h.sched.task(1).involuntarySwitches());
    assertEquals(0, h.sched.task(1).voluntarySwitches());
  }

  @Test
  void yieldKeepsRunningWhenTheOthersAreFarAhead() {
    SchedHarness h = harness(CpuTopology.flat(1), 1000);
    h.step(() -> h.sched.spawn(1, 1, CpuMask.of(0), 0, -1, h.now));
    h.ticks(10);
    h.step(() -> h.sched.spawn(2, 1, CpuMask.of(0), 0, -1, h.now));
    // Task 2 starts a vslice (3 ms) above min_vruntime, more than the 1 ms wake-up granularity.
    h.events.clear();
    h.step(() -> h.sched.yield(0, h.now));
    assertTrue(h.events.isEmpty(), h.events.toString());
    assertEquals(1, h.sched.current(0).id());
    assertNull(h.sched.runQueue(0).skipBuddy());
    assertEquals(0, h.sched.task(1).involuntarySwitches());
  }

  @Test
  void aCpuThatGoesIdlePullsAQueuedTask() {
    SchedHarness h = harness(CpuTopology.flat(2));
    h.step(() -> h.sched.spawn(1, 1, CpuMask.of(0, 1), 0, -1, h.now));
    h.step(() -> h.sched.spawn(2, 1, CpuMask.of(1), 0, 1, h.now));
    h.step(() -> h.sched.spawn(3, 1, CpuMask.of(0, 1), 0, 1, h.now));
    assertEquals(List.of(h.sched.task(3)), h.sched.runnable(0));
    h.events.clear();
    h.step(() -> h.sched.sleep(2, h.now));
    assertEquals(
        List.of("migrate t3 cpu0->cpu1 @0", "out cpu1 t2 SLEEP @0", "in cpu1 t3 @0"), h.events);
    assertEquals(1, h.sched.task(3).migrations());
  }

  // ---------------------------------------------------------------- affinity and cpusets

  @Test
  void setAffinityMovesARunningTaskOffItsCpu() {
    SchedHarness h = harness(CpuTopology.flat(4));
    h.step(() -> h.sched.spawn(1, 1, CpuMask.first(4), 0, -1, h.now));
    assertEquals(0, h.sched.task(1).cpu());
    h.events.clear();
    h.step(() -> assertEquals(0, h.sched.setAffinity(1, CpuMask.of(2), h.now)));
    assertEquals(
        List.of(
            "allowed t1 2 @0",
            "out cpu0 t1 MIGRATE @0",
            "idle cpu0 @0",
            "migrate t1 cpu0->cpu2 @0",
            "resched cpu2 @0",
            "in cpu2 t1 @0"),
        h.events);
    SchedTask t = h.sched.task(1);
    assertEquals(TaskState.RUNNING, t.state());
    assertEquals(2, t.cpu());
    assertEquals(1, t.migrations());
    assertEquals(1, t.involuntarySwitches());
    assertTrue(h.sched.isIdle(0));
  }

  @Test
  void setAffinityLeavesATaskWhoseCpuStaysAllowed() {
    SchedHarness h = harness(CpuTopology.flat(4));
    h.step(() -> h.sched.spawn(1, 1, CpuMask.first(4), 0, -1, h.now));
    h.events.clear();
    h.step(() -> assertEquals(0, h.sched.setAffinity(1, CpuMask.of(0, 3), h.now)));
    assertEquals(List.of("allowed t1 0,3 @0"), h.events);
    assertEquals(0, h.sched.task(1).migrations());
  }

  @Test
  void affinityIsTheRequestWithinTheCpuset() {
    SchedHarness h = harness(CpuTopology.flat(4));
    h.step(() -> assertEquals(0, h.sched.setCpuset(1, CpuMask.of(0, 1), h.now)));
    h.step(() -> h.sched.spawn(1, 1, CpuMask.first(4), 0, -1, h.now));
    SchedTask t = h.sched.task(1);
    SchedProcess p = h.sched.process(1);
    assertEquals(CpuMask.of(0, 1), t.cpusAllowed());

    h.step(() -> assertEquals(-FairScheduler.EINVAL, h.sched.setAffinity(1, CpuMask.of(2, 3), h.now)));
    assertEquals(CpuMask.first(4), t.userMask());
    assertEquals(CpuMask.of(0, 1), t.cpusAllowed());

    h.step(() -> assertEquals(0, h.sched.setAffinity(1, CpuMask.of(1, 2), h.now)));
    assertEquals(CpuMask.of(1, 2), t.userMask());
    assertEquals(CpuMask.of(1), t.cpusAllowed());
    assertEquals(1, t.cpu());

    h.step(() -> assertEquals(0, h.sched.setCpuset(1, CpuMask.of(2, 3), h.now)));
    assertEquals(CpuMask.of(2), t.cpusAllowed());
    assertEquals(2, t.cpu());

    h.step(() -> assertEquals(0, h.sched.setCpuset(1, CpuMask.of(3), h.now)));
    assertEquals(CpuMask.of(3), t.cpusAllowed(), "request and cpuset disjoint: the cpuset");
    assertEquals(3, t.cpu());

    h.step(() -> assertEquals(0, h.sched.setCpuset(1, CpuMask.first(4), h.now)));
    assertEquals(CpuMask.of(1, 2), t.cpusAllowed(), "the request is remembered");
    assertTrue(t.cpusAllowed().contains(t.cpu()));

    h.step(() -> assertEquals(-FairScheduler.EINVAL, h.sched.setCpuset(1, CpuMask.of(9), h.now)));
    assertEquals(CpuMask.first(4), p.cpuset());
    assertEquals(1, p.users());
    assertEquals(CpuMask.of(1, 2), p.cpusAllowed());
    assertEquals(CpuMask.first(4), p.cpusAllowedGrowOnly());
    assertEquals(4, p.nrCpusAllowed());

    h.step(() -> h.sched.exit(1, h.now));
    assertEquals(-FairScheduler.ESRCH, h.sched.setAffinity(1, CpuMask.of(0), h.now));
    assertEquals(0, p.users());
    assertEquals(CpuMask.empty(), p.cpusAllowed());
    assertEquals(4, p.nrCpusAllowed(), "grow-only");
  }

  @Test
  void aSpawnOutsideTheCpusetGetsTheWholeCpuset() {
    SchedHarness h = harness(CpuTopology.flat(4));
    h.step(() -> h.sched.setCpuset(7, CpuMask.of(2, 3), h.now));
    h.step(() -> h.sched.spawn(1, 7, CpuMask.of(0), 0, -1, h.now));
    assertEquals(CpuMask.of(2, 3), h.sched.task(1).cpusAllowed());
    assertEquals(CpuMask.of(0), h.sched.task(1).userMask());
    assertEquals(2, h.sched.task(1).cpu());
  }

  @Test
  void movedQueuedTasksSpreadOverTheNewMask() {
    SchedHarness h = harness(CpuTopology.flat(4));
    h.step(() -> h.sched.spawn(1, 1, CpuMask.of(0), 0, -1, h.now));
    h.step(() -> h.sched.spawn(2, 1, CpuMask.of(0), 0, 1, h.now));
    h.step(() -> h.sched.spawn(3, 1, CpuMask.of(0), 0, 1, h.now));
    h.step(() -> h.sched.setCpuset(1, CpuMask.of(1, 2, 3), h.now));
    // cpumask_any_and_distribute(): a cursor that moves on from the last choice.
    assertEquals(1, h.sched.task(1).cpu());
    assertEquals(2, h.sched.task(2).cpu());
    assertEquals(3, h.sched.task(3).cpu());
  }

  // ---------------------------------------------------------------- load balance

  @Test
  void balanceMovesTheLeastRecentlyQueuedTaskToAnIdleCpu() {
    SchedHarness h = harness(CpuTopology.flat(2));
    h.step(() -> h.sched.spawn(1, 1, CpuMask.of(0), 0, -1, h.now));
    h.step(() -> h.sched.spawn(2, 1, CpuMask.of(0), 0, 1, h.now));
    h.step(() -> h.sched.spawn(3, 1, CpuMask.of(0), 0, 1, h.now));
    h.step(() -> h.sched.setAffinity(2, CpuMask.of(0, 1), h.now));
    h.step(() -> h.sched.setAffinity(3, CpuMask.of(0, 1), h.now));
    assertTrue(h.sched.isIdle(1));
    h.events.clear();
    int[] moved = new int[1];
    h.step(() -> moved[0] = h.sched.balance(h.now));
    assertEquals(1, moved[0]);
    assertEquals(
        List.of("migrate t2 cpu0->cpu1 @0", "resched cpu1 @0", "in cpu1 t2 @0"), h.events);
    assertEquals(1, h.sched.current(0).id());
    assertEquals(List.of(h.sched.task(3)), h.sched.runnable(0));
    assertEquals(2, h.sched.runQueue(0).nrRunning());
  }

  @Test
  void balanceNeverMovesARunningTaskNorAPinnedOne() {
    SchedHarness h = harness(CpuTopology.flat(2));
    h.step(() -> h.sched.spawn(1, 1, CpuMask.of(0, 1), 0, -1, h.now));
    h.step(() -> h.sched.spawn(2, 1, CpuMask.of(0), 0, 1, h.now));
    assertEquals(0, h.sched.task(2).cpu());
    assertEquals(0, h.sched.balance(h.now));
    assertEquals(0, h.sched.task(1).cpu());
    assertSame(h.sched.task(1), h.sched.current(0));
    assertTrue(h.sched.isIdle(1));
  }

  // ---------------------------------------------------------------- exit and misuse

  @Test
  void exitOfTheRunningTaskSwitchesAfterTheExitEvent() {
    SchedHarness h = harness(CpuTopology.flat(1));
    h.step(() -> h.sched.spawn(1, 1, CpuMask.of(0), 0, -1, h.now));
    h.step(() -> h.sched.spawn(2, 1, CpuMask.of(0), 0, 1, h.now));
    h.step(() -> h.sched.spawn(3, 2, CpuMask.of(0), 0, 1, h.now));
    h.events.clear();
    h.step(() -> h.sched.exit(1, h.now));
    assertEquals(List.of("exit t1 @0", "out cpu0 t1 EXIT @0", "in cpu0 t2 @0"), h.events);
    assertEquals(TaskState.EXITED, h.sched.task(1).state());
    assertEquals(1, h.sched.task(1).voluntarySwitches());
    assertEquals(1, h.sched.process(1).users());
    h.step(() -> h.sched.exit(3, h.now));
    assertEquals(0, h.sched.process(2).users());
    assertTrue(h.sched.runnable(0).isEmpty());
    h.step(() -> h.sched.sleep(2, h.now));
    h.step(() -> h.sched.exit(2, h.now));
    assertTrue(h.sched.isIdle(0));
    assertEquals(0, h.sched.process(1).users());
    assertThrows(IllegalArgumentException.class, () -> h.sched.exit(2, h.now));
  }

  @Test
  void misuseIsRejectedWithoutChangingState() {
    SchedHarness h = harness(CpuTopology.flat(2));
    h.step(() -> h.sched.spawn(1, 1, CpuMask.of(0), 0, -1, h.now));
    h.step(() -> h.sched.spawn(2, 1, CpuMask.of(0), 0, 1, h.now));
    assertThrows(IllegalStateException.class, () -> h.sched.sleep(2, h.now));
    assertThrows(IllegalStateException.class, () -> h.sched.yield(1, h.now));
    assertThrows(IllegalArgumentException.class, () -> h.sched.spawn(2, 1, CpuMask.of(0), h.now));
    assertThrows(IllegalArgumentException.class, () -> h.sched.spawn(3, 1, CpuMask.of(0), 20, -1, h.now));
    assertThrows(IllegalArgumentException.class, () -> h.sched.spawn(3, 1, CpuMask.of(0), 0, 9, h.now));
    assertThrows(IllegalArgumentException.class, () -> h.sched.tick(2, h.now));
    assertThrows(IllegalArgumentException.class, () -> h.sched.wake(9, h.now));
    h.ticks(1);
    assertThrows(IllegalArgumentException.class, () -> h.sched.tick(0, h.now - 1));
    h.check();
    assertEquals(2, h.sched.tasks().size());
  }

  // ---------------------------------------------------------------- determinism

  @Test
  void theSameOperationsGiveTheSameEvents() {
    assertEquals(randomScript(42), randomScript(42));
    assertFalse(randomScript(42).equals(randomScript(43)));
  }

  /** 400 operations drawn from a seeded generator, run through a fresh scheduler. */
  private static List<String> randomScript(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    SchedHarness h = harness(TWO_SOCKETS);
    int nextId = 1;
    for (int i = 0; i < 400; i++) {
      List<SchedTask> live = new ArrayList<>();
      List<SchedTask> sleeping = new ArrayList<>();
      for (SchedTask t : h.sched.tasks()) {
        if (t.state().isLive()) {
          live.add(t);
        }
        if (t.state() == TaskState.SLEEPING) {
          sleeping.add(t);
        }
      }
      int op = rnd.nextInt(6);
      int cpu = rnd.nextInt(8);
      CpuMask mask = CpuMask.ofBits(1 + rnd.nextInt(255));
      if (op == 0 && live.size() < 12) {
        int id = nextId++;
        h.step(() -> h.sched.spawn(id, 1 + id % 3, mask, 0, -1, h.now));
      } else if (op == 1 && h.sched.current(cpu) != null) {
        int id = h.sched.current(cpu).id();
        h.step(() -> h.sched.sleep(id, h.now));
      } else if (op == 2 && !sleeping.isEmpty()) {
        int id = sleeping.get(rnd.nextInt(sleeping.size())).id();
        h.step(() -> h.sched.wake(id, h.now));
      } else if (op == 3 && !live.isEmpty()) {
        int id = live.get(rnd.nextInt(live.size())).id();
        h.step(() -> h.sched.setAffinity(id, mask, h.now));
      } else {
        h.ticks(1);
      }
    }
    return h.events;
  }
}
