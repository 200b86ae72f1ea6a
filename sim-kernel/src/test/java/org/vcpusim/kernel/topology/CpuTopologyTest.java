package org.vcpusim.kernel.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vcpusim.kernel.topology.CpuTopology.Numbering;

class CpuTopologyTest {
  @Test
  void coreMajorNumberingKeepsSiblingsAdjacent() {
    CpuTopology t = CpuTopology.of(2, 2, 2, 1, Numbering.CORE_MAJOR);
    assertEquals(8, t.nrCpus());
    assertEquals(4, t.nrCores());
    assertEquals(CpuMask.of(2, 3), t.smtSiblings(3));
    assertEquals(1, t.threadOf(3));
    assertEquals(1, t.coreOf(3));
    assertEquals(0, t.socketOf(3));
    assertEquals(1, t.socketOf(4));
    assertEquals(CpuMask.range(4, 7), t.socketCpus(1));
    assertEquals(CpuMask.range(0, 3), t.llcCpus(2));
    assertTrue(t.sharesCache(0, 3));
    assertFalse(t.sharesCache(3, 4));
    assertTrue(t.hasSmt());
  }

  @Test
  void threadMajorNumberingPutsSecondThreadsLast() {
    CpuTopology t = CpuTopology.of(2, 2, 2, 1, Numbering.THREAD_MAJOR);
    assertEquals(CpuMask.of(1, 5), t.smtSiblings(5));
    assertEquals(1, t.threadOf(5));
    assertEquals(0, t.threadOf(1));
    assertEquals(CpuMask.of(0, 1, 4, 5), t.socketCpus(0));
    assertEquals(CpuMask.of(2, 3, 6, 7), t.nodeCpus(1));
    assertEquals(1, t.nodeOf(6));
  }

  @Test
  void nodesSplitASocketsCoresAndItsCache() {
    CpuTopology t = CpuTopology.of(1, 4, 1, 2, Numbering.CORE_MAJOR);
    assertEquals(2, t.nrNodes());
    assertEquals(CpuMask.of(0, 1), t.nodeCpus(0));
    assertEquals(CpuMask.of(2, 3), t.llcCpus(3));
    assertEquals(0, t.socketOf(3));
    assertFalse(t.sharesCache(1, 2));
    assertFalse(t.hasSmt());
  }

  @Test
  void everyCpuBelongsToExactlyOneCoreSocketAndNode() {
    CpuTopology t = CpuTopology.of(3, 4, 2, 2, Numbering.THREAD_MAJOR);
    CpuMask sockets = CpuMask.empty();
    CpuMask nodes = CpuMask.empty();
    for (int s = 0; s < t.nrSockets(); s++) {
      assertFalse(sockets.intersects(t.socketCpus(s)));
      sockets = sockets.or(t.socketCpus(s));
    }
    for (int n = 0; n < t.nrNodes(); n++) {
      assertFalse(nodes.intersects(t.nodeCpus(n)));
      nodes = nodes.or(t.nodeCpus(n));
    }
    assertEquals(t.all(), sockets);
    assertEquals(t.all(), nodes);
    for (int cpu = 0; cpu < t.nrCpus(); cpu++) {
      assertTrue(t.smtSiblings(cpu).contains(cpu));
      assertEquals(t.threadsPerCore(), t.smtSiblings(cpu).weight());
      assertTrue(t.nodeCpus(t.nodeOf(cpu)).isSubsetOf(t.socketCpus(t.socketOf(cpu))));
      assertTrue(t.smtSiblings(cpu).isSubsetOf(t.llcCpus(cpu)));
    }
  }

  @Test
  void rejectsImpossibleShapes() {
    assertThrows(IllegalArgumentException.class, () -> CpuTopology.of(0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> CpuTopology.of(1, 3, 1, 2, Numbering.CORE_MAJOR));
    assertThrows(IllegalArgumentException.class, () -> CpuTopology.of(2, 512, 2));
    assertThrows(IllegalArgumentException.class, () -> CpuTopology.flat(4).socketOf(4));
    assertEquals(
        "1 socket(s) x 4 core(s) x 1 thread(s), 1 node(s), core_major numbering (4 CPUs)",
        CpuTopology.flat(4).toString());
  }
}
