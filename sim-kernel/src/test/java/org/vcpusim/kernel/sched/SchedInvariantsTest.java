package org.vcpusim.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.vcpusim.kernel.topology.CpuMask;
import org.vcpusim.kernel.topology.CpuTopology;

/** The checker must see each kind of corruption; the state is corrupted through package access. */
class SchedInvariantsTest {
  /** Task 1 runs on CPU 0 with task 2 queued behind it; task 3 runs on CPU 1; task 4 sleeps. */
  private static SchedHarness fixture() {
    SchedHarness h =
        new SchedHarness(CpuTopology.flat(2), SchedParams.linuxDefaults(2, 0));
    h.step(() -> h.sched.spawn(1, 1, CpuMask.of(0), 0, -1, h.now));
    h.step(() -> h.sched.spawn(2, 1, CpuMask.of(0), 0, 1, h.now));
    h.step(() -> h.sched.spawn(3, 2, CpuMask.of(1), 0, -1, h.now));
    h.step(() -> h.sched.spawn(4, 2, CpuMask.of(1), 0, 3, h.now));
    h.ticks(1);
    h.step(() -> h.sched.sleep(h.sched.current(1).id(), h.now));
    return h;
  }

  private static List<String> violationsAfter(Consumer<FairScheduler> corruption) {
    SchedHarness h = fixture();
    assertEquals(List.of(), h.invariants.check(h.sched));
    corruption.accept(h.sched);
    return h.invariants.check(h.sched);
  }

  private static void assertReported(String expected, Consumer<FairScheduler> corruption) {
    List<String> v = violationsAfter(corruption);
    assertTrue(v.stream().anyMatch(s -> s.contains(expected)), () -> expected + " not in " + v);
  }

  @Test
  void aConsistentStateHasNoViolations() {
    SchedHarness h = fixture();
    assertEquals(List.of(), h.invariants.check(h.sched));
    h.invariants.verify(h.sched);
  }

  @Test
  void seesATaskOnACpuOutsideItsMask() {
    assertReported("outside its allowed CPUs", s -> s.task(1).cpusAllowed = CpuMask.of(1));
  }

  @Test
  void seesRunQueueAccountingDrift() {
    assertReported("nr_running 3 but 2 tasks", s -> s.runQueue(0).nrRunning++);
    assertReported("load 2049 but the weights there sum to 2048", s -> s.runQueue(0).load++);
  }

  @Test
  void seesALostRunnableTask() {
    assertReported(
        "is RUNNABLE but on no run queue",
        s -> s.runQueue(0).timeline.remove(s.runQueue(0).leftmost()));
  }

  @Test
  void seesATaskCurrentOnTwoCpus() {
    assertReported("is current on cpu 0 and cpu 1", s -> s.runQueue(1).curr = s.current(0));
  }

  @Test
  void seesASleepingTaskStillQueued() {
    assertReported("is SLEEPING but still on cpu 0", s -> s.runQueue(0).leftmost().state = TaskState.SLEEPING);
  }

  @Test
  void seesMinVruntimeGoingBack() {
    assertReported("min_vruntime went back", s -> s.runQueue(0).minVruntime--);
  }

  @Test
  void seesALostWakeup() {
    assertReported(
        "idle with 1 queued tasks and no need_resched",
        s -> {
          s.sleep(s.current(1).id(), s.now());
          s.wake(3, s.now());
          s.runQueue(1).needResched = false;
        });
  }

  @Test
  void seesTooMuchSleeperCredit() {
    assertReported(
        "by more than latency/2",
        s -> {
          RunQueue rq = s.runQueue(0);
          SchedTask t = rq.leftmost();
          rq.timeline.remove(t);
          t.vruntime = rq.minVruntime - s.params().latencyPs();
          rq.timeline.add(t);
        });
  }

  @Test
  void seesUsersAndGrowOnlyMaskDrift() {
    assertReported("users 1 but 2 live threads", s -> s.process(1).liveThreads.remove(2));
    assertReported(
        "grow-only mask shrank", s -> s.process(1).cpusAllowedGrowOnly = CpuMask.of(1));
  }

  @Test
  void verifyListsEveryViolation() {
    SchedHarness h = fixture();
    h.sched.runQueue(0).load++;
    h.sched.runQueue(1).nrRunning++;
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> h.invariants.verify(h.sched));
    assertTrue(e.getMessage().contains("cpu 0 load"), e.getMessage());
    assertTrue(e.getMessage().contains("cpu 1 nr_running"), e.getMessage());
  }
}
