package org.vcpusim.cpu.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SetAssociativeCacheTest {
  @Test
  void evictsTheLeastRecentlyUsedLineOfTheSet() {
    SetAssociativeCache c = new SetAssociativeCache(4, 4);
    long a = 0;
    long b = 4;
    long cc = 8;
    long d = 12; // all map to set 0
    for (long line : new long[] {a, b, cc, d}) {
      c.insert(1, line, SetAssociativeCache.SHARED);
      assertEquals(SetAssociativeCache.INVALID, c.evictedState());
    }
    c.touch(c.find(1, a));
    c.insert(1, 16, SetAssociativeCache.SHARED);
    assertEquals(b, c.evictedLine());
    c.insert(1, 20, SetAssociativeCache.SHARED);
    assertEquals(cc, c.evictedLine());
    c.touch(c.find(1, d));
    c.insert(1, 24, SetAssociativeCache.SHARED);
    assertEquals(a, c.evictedLine());
    assertTrue(c.find(1, d) >= 0);
    assertEquals(-1, c.find(1, a));
    assertEquals(4, c.residentLines());
  }

  @Test
  void otherSetsAndOtherAddressSpacesAreUntouched() {
    SetAssociativeCache c = new SetAssociativeCache(4, 2);
    c.insert(1, 1, SetAssociativeCache.SHARED); // set 1
    c.insert(1, 0, SetAssociativeCache.SHARED); // set 0
    c.insert(2, 0, SetAssociativeCache.SHARED); // set 0, other address space
    c.insert(3, 0, SetAssociativeCache.SHARED); // evicts asid 1's line 0
    assertEquals(1, c.evictedAsid());
    assertEquals(0, c.evictedLine());
    assertTrue(c.find(1, 1) >= 0);
    assertEquals(-1, c.find(1, 0));
    assertTrue(c.find(2, 0) >= 0 && c.find(3, 0) >= 0);
  }

  @Test
  void setCountNeedNotBeAPowerOfTwo() {
    SetAssociativeCache c = SetAssociativeCache.ofSize(61440L * 1024, 12, 64); // Ice Lake-SP LLC
    assertEquals(81920, c.sets());
    assertEquals(5, c.setOf(81925));
    c.insert(7, 81925, SetAssociativeCache.SHARED);
    assertTrue(c.find(7, 81925) >= 0);
  }
}
