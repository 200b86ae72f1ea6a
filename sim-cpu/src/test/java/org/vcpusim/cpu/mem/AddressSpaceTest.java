package org.vcpusim.cpu.mem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.junit.jupiter.api.Test;

/** Mapping, permissions, little-endian access at any alignment, faults without partial effects. */
class AddressSpaceTest {
  private static final long BASE = 0x10000L;
  private static final int PAGE = AddressSpace.PAGE_SIZE;
  private static final int RW = AddressSpace.READ | AddressSpace.WRITE;

  private final AddressSpace space = new AddressSpace(42);

  @Test
  void littleEndianAllSizes() {
    space.map(BASE, PAGE, RW);
    assertTrue(space.store(BASE, 8, 0x0102030405060708L));
    assertEquals(0x08, space.load(BASE, 1));
    assertEquals(0x0708, space.load(BASE, 2));
    assertEquals(0x05060708L, space.load(BASE, 4));
    assertEquals(0x0102030405060708L, space.load(BASE, 8));
    assertEquals(0x0304050607L, space.load(BASE + 1, 5), "odd sizes assemble bytes too");
    assertTrue(space.store(BASE + 1, 2, 0xFFFF_AABBL));
    assertEquals(0x01020304_05AABB08L, space.load(BASE, 8), "a store writes only its bytes");
    assertTrue(space.store(BASE + 8, 4, -1L));
    assertEquals(0xFFFFFFFFL, space.load(BASE + 8, 4), "loads zero-extend");
  }

  @Test
  void demandZeroPages() {
    space.map(BASE, 64L * PAGE, AddressSpace.READ);
    assertEquals(0, space.load(BASE + 12345, 8));
    assertFalse(space.hasFault());
    assertEquals(64, space.pageCount());
  }

  /** Random accesses, any alignment, compared with a plain byte-array model of the same range. */
  @Test
  void unalignedAndPageCrossingAccessesMatchAByteModel() {
    int pages = 3;
    space.map(BASE, (long) pages * PAGE, RW);
    byte[] model = new byte[pages * PAGE];
    qt().withFixedSeed(5).withExamples(3000)
        .forAll(integers().between(0, pages * PAGE - 8), integers().between(0, 3), longs().all(),
            integers().between(0, 1))
        .checkAssert((offset, sizeLog, value, isStore) -> {
          int size = 1 << sizeLog;
          if (isStore == 1) {
            assertTrue(space.store(BASE + offset, size, value));
            for (int k = 0; k < size; k++) {
              model[offset + k] = (byte) (value >>> (8 * k));
            }
          } else {
            long expected = 0;
            for (int k = 0; k < size; k++) {
              expected |= (model[offset + k] & 0xFFL) << (8 * k);
            }
            assertEquals(expected, space.load(BASE + offset, size));
            assertEquals(expected, space.loadForUpdate(BASE + offset, size));
          }
          assertFalse(space.hasFault());
        });
    byte[] all = new byte[pages * PAGE];
    assertTrue(space.read(BASE, all, 0, all.length));
    assertArrayEquals(model, all);
  }

  @Test
  void faultKindsAndAddresses() {
    space.map(BASE, PAGE, AddressSpace.READ);
    space.map(BASE + PAGE, PAGE, 0);

    assertEquals(0, space.load(BASE - 8, 8));
    assertEquals(MemoryFault.NOT_MAPPED, space.fault());
    assertEquals(BASE - 8, space.faultAddress());
    assertEquals(AccessKind.READ, space.faultAccess());
    space.clearFault();

    assertFalse(space.store(BASE + 16, 4, 1));
    assertEquals(MemoryFault.WRITE_PROTECTED, space.fault());
    assertEquals(AccessKind.WRITE, space.faultAccess());
    space.clearFault();

    space.loadForUpdate(BASE + 16, 4);
    assertEquals(MemoryFault.WRITE_PROTECTED, space.fault(), "read-modify-write faults as a write");
    space.clearFault();

    space.load(BASE + PAGE - 2, 4);
    assertEquals(MemoryFault.NOT_READABLE, space.fault());
    assertEquals(BASE + PAGE, space.faultAddress(), "the first inaccessible byte");
    space.clearFault();

    assertFalse(space.fetchable(BASE, 1));
    assertEquals(MemoryFault.NOT_EXECUTABLE, space.fault());
    assertEquals(AccessKind.EXECUTE, space.faultAccess());
    space.clearFault();

    space.load(0xFFFF_8000_0000_0000L, 1);
    assertEquals(MemoryFault.NOT_MAPPED, space.fault(), "canonical kernel half: not mapped");
    space.clearFault();
    space.load(0x0000_8000_0000_0000L, 1);
    assertEquals(MemoryFault.NON_CANONICAL, space.fault());
    space.clearFault();
    assertNull(space.fault());
  }

  @Test
  void straddlingStoreWithOneBadPageWritesNothing() {
    space.map(BASE, PAGE, RW);
    space.map(BASE + PAGE, PAGE, AddressSpace.READ);
    assertFalse(space.store(BASE + PAGE - 4, 8, -1L));
    assertEquals(BASE + PAGE, space.faultAddress());
    space.clearFault();
    assertEquals(0, space.load(BASE + PAGE - 4, 4));

    space.unmap(BASE + PAGE, PAGE);
    assertFalse(space.write(BASE + PAGE - 4, new byte[8], 0, 8));
    assertEquals(MemoryFault.NOT_MAPPED, space.fault());
    assertEquals(0, space.load(BASE + PAGE - 4, 4));
  }

  @Test
  void protectAndUnmapAreSeenThroughTheTlb() {
    space.map(BASE, PAGE, RW);
    assertTrue(space.store(BASE, 8, 7));
    assertEquals(7, space.load(BASE, 8));
    int v = space.version();
    assertTrue(space.protect(BASE, PAGE, AddressSpace.READ));
    assertTrue(space.version() > v);
    assertFalse(space.store(BASE, 8, 8), "the cached write entry was dropped");
    space.clearFault();
    assertEquals(7, space.load(BASE, 8), "contents survive mprotect");
    space.unmap(BASE, PAGE);
    space.load(BASE, 8);
    assertEquals(MemoryFault.NOT_MAPPED, space.fault());
    space.clearFault();
    space.map(BASE, PAGE, RW);
    assertEquals(0, space.load(BASE, 8), "a new mapping is zero-filled");
  }

  @Test
  void protectOfAPartlyUnmappedRangeChangesNothing() {
    space.map(BASE, PAGE, RW);
    assertFalse(space.protect(BASE, 2L * PAGE, AddressSpace.READ));
    assertEquals(RW, space.permissionsAt(BASE));
  }

  @Test
  void tlbAliasesAreToldApart() {
    // Pages 256 apart share a TLB slot.
    long other = BASE + 256L * PAGE;
    space.map(BASE, PAGE, RW);
    space.map(other, PAGE, RW);
    for (int k = 0; k < 10; k++) {
      assertTrue(space.store(BASE, 8, k));
      assertTrue(space.store(other, 8, 100 + k));
      assertEquals(k, space.load(BASE, 8));
      assertEquals(100 + k, space.load(other, 8));
    }
  }

  @Test
  void bulkAccessAcrossPagesAndIgnoringPermissions() {
    space.map(BASE, 2L * PAGE, AddressSpace.READ | AddressSpace.EXECUTE);
    byte[] data = new byte[300];
    for (int k = 0; k < data.length; k++) {
      data[k] = (byte) k;
    }
    assertFalse(space.write(BASE + PAGE - 100, data, 0, data.length), "read-only");
    space.load(BASE + PAGE - 100, 1); // warm the TLB with the zero page
    assertTrue(space.writeIgnoringPermissions(BASE + PAGE - 100, data, 0, data.length));
    assertEquals(99, space.load(BASE + PAGE - 1, 1), "TLB entry refreshed after first write");
    byte[] back = new byte[300];
    assertTrue(space.read(BASE + PAGE - 100, back, 0, back.length));
    assertArrayEquals(data, back);
    space.protect(BASE, 2L * PAGE, 0);
    assertFalse(space.read(BASE, back, 0, 1));
    assertTrue(space.readIgnoringPermissions(BASE + PAGE - 100, back, 0, back.length));
    assertArrayEquals(data, back);
  }

  @Test
  void forkCopiesPagesIndependently() {
    space.map(BASE, PAGE, RW);
    space.map(BASE + 2L * PAGE, PAGE, AddressSpace.READ);
    space.store(BASE, 8, 11);
    AddressSpace child = space.fork(43);
    assertEquals(43, child.id());
    assertEquals(11, child.load(BASE, 8));
    child.store(BASE, 8, 22);
    assertEquals(11, space.load(BASE, 8));
    assertEquals(AddressSpace.READ, child.permissionsAt(BASE + 2L * PAGE));
    assertEquals(-1, child.permissionsAt(BASE + PAGE));
  }

  @Test
  void manyMappingsAndUnmappings() {
    for (int k = 0; k < 5000; k++) {
      space.map(BASE + (long) k * PAGE * 3, PAGE, RW);
      space.store(BASE + (long) k * PAGE * 3, 4, k);
    }
    space.unmap(BASE, 3L * PAGE * 2500);
    assertEquals(2500, space.pageCount());
    for (int k = 0; k < 5000; k++) {
      long a = BASE + (long) k * PAGE * 3;
      long v = space.load(a, 4);
      if (k < 2500) {
        assertTrue(space.hasFault(), "unmapped " + k);
        space.clearFault();
      } else {
        assertEquals(k, v);
      }
    }
  }

  @Test
  void rejectsBadRanges() {
    assertThrows(IllegalArgumentException.class, () -> space.map(BASE + 1, PAGE, RW));
    assertThrows(IllegalArgumentException.class, () -> space.map(BASE, 0, RW));
    assertThrows(IllegalArgumentException.class,
        () -> space.map(AddressSpace.USER_LIMIT - PAGE, 2L * PAGE, RW));
    assertThrows(IllegalArgumentException.class, () -> space.map(BASE, PAGE, 8));
  }
}
