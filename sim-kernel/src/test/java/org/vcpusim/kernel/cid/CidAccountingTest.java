package org.vcpusim.kernel.cid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.vcpusim.core.stats.StatsRegistry;
import org.vcpusim.cpu.exec.DecodedProgram;
import org.vcpusim.cpu.exec.ThreadContext;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

class CidAccountingTest {
  static final AssembledProgram EMPTY = new AssembledProgram("empty.s", java.util.List.of(),
      new java.util.TreeMap<>(), java.util.List.of());

  @Test
  void theIdentityPolicyGivesTheCpuAndTheAccountingCountsChangesAndHighWater() {
    CidAccounting cid = new CidAccounting(new CpuNumberCidAllocator());
    Process p = new Process(1, "p", new AddressSpace(1), new DecodedProgram(EMPTY));
    Task a = new Task(1, p, new ThreadContext(), "a");
    Task b = new Task(2, p, new ThreadContext(), "b");
    cid.mmInit(p, 0);
    cid.fork(a, 0);
    cid.fork(b, 0);
    assertEquals(MmCidAllocator.UNSET, cid.cid(a));
    cid.switchIn(3, a, 10);
    cid.switchIn(5, b, 10);
    assertEquals(3, cid.cid(a));
    assertEquals(5, cid.cid(b));
    cid.switchOut(3, a, 20);
    assertEquals(MmCidAllocator.UNSET, cid.cid(a));
    cid.switchIn(3, a, 30);
    assertEquals(0, cid.changes(a.tid()), "same CPU, same id: no change");
    cid.switchOut(3, a, 40);
    cid.switchIn(7, a, 40);
    assertEquals(1, cid.changes(a.tid()));
    assertEquals(3, cid.switchIns(a.tid()));
    assertEquals(7, cid.maxCid(a.tid()));
    assertEquals(8, cid.highWater(1));
    assertEquals(3, cid.idsUsed(1));
    StatsRegistry stats = new StatsRegistry();
    cid.publish(stats);
    assertEquals(8, stats.longGauge("cid.mm1.high_water").value());
    assertEquals(1, stats.longGauge("cid.task1.changes").value());
    assertEquals(1, stats.longGauge("cid.policy_cpu").value());
    cid.exit(a, 50);
    assertEquals(MmCidAllocator.UNSET, cid.cid(a));
  }
}
