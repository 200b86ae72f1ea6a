package org.vcpusim.kernel.cid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vcpusim.kernel.sched.FairScheduler;
import org.vcpusim.kernel.sched.SchedObserver;
import org.vcpusim.kernel.sched.SchedParams;
import org.vcpusim.kernel.testing.FakeKernel;
import org.vcpusim.kernel.topology.CpuTopology;

class CidAllocatorsTest {
  @Test
  void namesAreSortedAndEachBuildsThePolicyOfThatName() {
    List<String> names = CidAllocators.names();
    assertEquals(List.of("cpu", "mm_cid-6.19", "mm_cid-6.4", "vcpu-2022"), names);
    CpuTopology topology = CpuTopology.flat(2);
    FairScheduler sched =
        new FairScheduler(topology, SchedParams.linuxDefaults(2, 0), new SchedObserver() {});
    for (String name : names) {
      MmCidAllocator a = CidAllocators.byName(name).create(new FakeKernel(2, 2), sched);
      assertEquals(name, a.name());
    }
  }

  @Test
  void anUnknownNameIsRejectedWithTheKnownNames() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CidAllocators.byName("mm_cid-9.9"));
    assertTrue(e.getMessage().contains("\"mm_cid-9.9\""), e.getMessage());
    assertTrue(e.getMessage().contains("cpu, mm_cid-6.19, mm_cid-6.4, vcpu-2022"), e.getMessage());
  }
}
