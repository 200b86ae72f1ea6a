package org.vcpusim.kernel.cid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TaskIntTableTest {
  @Test
  void unsetTidsReadAsAbsentBeforeAndAfterGrowth() {
    TaskIntTable t = new TaskIntTable(MmCidAllocator.UNSET);
    assertEquals(MmCidAllocator.UNSET, t.get(0));
    assertEquals(MmCidAllocator.UNSET, t.get(10_000), "beyond the table");
    t.set(3, 7);
    t.set(1000, 5);
    assertEquals(7, t.get(3), "kept across growth");
    assertEquals(5, t.get(1000));
    assertEquals(MmCidAllocator.UNSET, t.get(999), "a slot added by growth");
    assertEquals(MmCidAllocator.UNSET, t.get(2000), "a slot past the grown table");
    t.clear(3);
    assertEquals(MmCidAllocator.UNSET, t.get(3));
  }

  @Test
  void theAbsentValueIsTheTables() {
    TaskIntTable t = new TaskIntTable(1 << 31);
    assertEquals(1 << 31, t.absent());
    t.set(200, 0);
    assertEquals(1 << 31, t.get(100), "grown slots take the table's absent value, not -1 or 0");
  }
}
