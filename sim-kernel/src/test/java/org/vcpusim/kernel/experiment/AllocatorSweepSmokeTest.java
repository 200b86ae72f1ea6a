package org.vcpusim.kernel.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.profile.CpuProfiles;
import org.vcpusim.kernel.check.CheckKind;
import org.vcpusim.kernel.cid.CidAllocators;
import org.vcpusim.kernel.task.KernelEventListener;
import org.vcpusim.kernel.task.Task;

/**
 * The allocator sweep ({@link CidSweep}, the experiment {@code benchmarks/run.sh cid-sweep} runs
 * for a simulated second) for 20 simulated milliseconds under every allocator: no finding from
 * any default checker, the per-cid counters sum exactly to the increments committed, every rseq
 * abort reached the program's handler, and the GS population writes obey their exact relation to
 * the cid changes.
 *
 * <p><b>The relation.</b> The program never writes GS itself, so a task's GS base at a return to
 * user is the one population left at its previous return (0 before the first); population writes
 * exactly when the task's cid differs from the cid it had at its previous populated return, and
 * always at its first return in the mode. A task's cid changes only at a switch-in, and every
 * switch-in is followed by a return to user before the task runs user code. Hence, per task:
 * writes = 1 + (cid changes after its first write). Summed: {@code gsWrites = threads + changes
 * of populated tasks}. {@code CidAccounting}'s {@code cidChanges} also counts a change a task had
 * before its first write — a cid defined at fork (the fork's CPU, or v6.19's per-task id) or
 * before the first thread set the mode, changed at the first switch-in — which the first write
 * absorbs.
 */
class AllocatorSweepSmokeTest {
  static final int CPUS = 8;
  static final int THREADS = 64;
  static final long DURATION = Ticks.fromMillis(20);

  static List<String> allocators() {
    return CidAllocators.names();
  }

  /** Counts cid changes before and after each task's first GS write, up to the measured end. */
  static final class Relation implements KernelEventListener {
    final TreeMap<Integer, Integer> writes = new TreeMap<>();
    final TreeMap<Integer, Integer> changesBeforeFirstWrite = new TreeMap<>();
    long changesAfterFirstWrite;
    long writesTotal;

    @Override
    public void cidChanged(long tick, int cpu, Task task, int oldCid, int newCid) {
      if (tick > DURATION) {
        return;
      }
      if (writes.containsKey(task.tid())) {
        changesAfterFirstWrite++;
      } else {
        changesBeforeFirstWrite.merge(task.tid(), 1, Integer::sum);
      }
    }

    @Override
    public void gsBaseWritten(long tick, int cpu, Task task, long oldBase, long newBase,
        long cycles, String kind) {
      if (tick > DURATION) {
        return;
      }
      writes.merge(task.tid(), 1, Integer::sum);
      writesTotal++;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allocators")
  void noFindingsExactCountersAndOneGsWritePerCidChange(String allocator) {
    Relation rel = new Relation();
    CidSweepResult r = CidSweep.run(allocator,
        new CidSweep.Params(CPUS, THREADS, 1, DURATION, CpuProfiles.load("zen5")),
        m -> m.addKernelEventListener(rel));
    String summary = String.format(Locale.ROOT,
        "%s: max cid %d, changes %d, switch-ins %d, migrations %d, gs writes %d, aborts %d,"
            + " ops %d, sum %d", allocator, r.maxCid(), r.cidChanges(), r.switchIns(),
        r.migrations(), r.gsWrites(), r.abortsTotal(), r.opsTotal(), r.counterSum());
    System.out.println("AllocatorSweepSmokeTest " + summary);

    assertEquals(List.of(), r.findings(), summary);
    assertEquals(CheckKind.values().length, r.checkViolations().size(), "every checker ran");
    assertTrue(r.checkViolations().values().stream().allMatch(v -> v == 0),
        r.checkViolations().toString());
    assertTrue(r.drained(), "every worker exited after the stop: " + summary);
    assertTrue(r.opsTotal() > 1000, summary);
    assertEquals(r.opsTotal(), r.counterSum(), summary);
    assertEquals(r.abortsTotal(), r.abortsSeen(), "every abort reached the handler: " + summary);
    assertTrue(r.switchIns() > THREADS * 8, "the workers sleep and wake: " + summary);
    assertTrue(r.maxCid() >= 0 && r.maxCid() < CPUS, summary);

    assertEquals(THREADS, rel.writes.size(), "every thread was populated: " + summary);
    assertEquals(rel.writesTotal, r.gsWrites(), summary);
    assertEquals(THREADS + rel.changesAfterFirstWrite, r.gsWrites(),
        "one write per thread plus one per cid change after it: " + summary);
    long before = rel.changesBeforeFirstWrite.values().stream().mapToLong(Integer::longValue).sum();
    assertEquals(r.cidChanges(), rel.changesAfterFirstWrite + before,
        "CidAccounting counts the changes folded into first writes too: " + summary);
    assertTrue(before <= THREADS, "at most one change before a task's first return: " + before);
  }
}
