package org.vcpusim.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class VmAreasTest {
  static final long PAGE = 4096;
  static final int PAGES = 64;

  @Test
  void reserveReleaseAndFindAgreeWithAPageBitmap() {
    // Each operation: kind (0 reserve, 1 release, 2 find) and a page range within 64 pages.
    qt().withExamples(Integer.getInteger("vcpusim.qt.examples", 300))
        .forAll(lists().of(integers().between(0, 3 * PAGES * PAGES - 1)).ofSizeBetween(1, 40))
        .checkAssert(ops -> {
          VmAreas areas = new VmAreas();
          BitSet used = new BitSet();
          for (int op : ops) {
            int kind = op / (PAGES * PAGES);
            int a = op % PAGES;
            int b = (op / PAGES) % PAGES;
            int from = Math.min(a, b);
            int to = Math.max(a, b) + 1;
            if (kind == 0) {
              areas.reserve(from * PAGE, to * PAGE);
              used.set(from, to);
            } else if (kind == 1) {
              areas.release(from * PAGE, to * PAGE);
              used.clear(from, to);
            } else {
              int len = to - from;
              long got = areas.findTopDown(len * PAGE, PAGES * PAGE, PAGE);
              assertEquals(highestFit(used, len), got, "find " + len + " pages in " + areas);
            }
            for (int s = 0; s < PAGES; s += 7) {
              for (int e = s + 1; e <= PAGES; e += 5) {
                assertEquals(used.get(s, e).isEmpty(), areas.isFree(s * PAGE, e * PAGE));
                assertEquals(used.get(s, e).cardinality() == e - s,
                    areas.isCovered(s * PAGE, e * PAGE));
              }
            }
          }
        });
  }

  /** The reference top-down search: highest start page >= 1 with len free pages below 64. */
  static long highestFit(BitSet used, int len) {
    for (int start = PAGES - len; start >= 1; start--) {
      if (used.get(start, start + len).isEmpty()) {
        return start * PAGE;
      }
    }
    return -1;
  }

  @Test
  void releaseSplitsARangeThatStraddlesIt() {
    VmAreas a = new VmAreas();
    a.reserve(0x10000, 0x20000);
    a.release(0x14000, 0x15000);
    assertEquals(2, a.size());
    assertTrue(a.isFree(0x14000, 0x15000));
    assertFalse(a.isFree(0x13000, 0x14001));
    assertTrue(a.isCovered(0x10000, 0x14000));
    assertTrue(a.isCovered(0x15000, 0x20000));
    assertEquals(0x2f000, a.findTopDown(0x1000, 0x30000, 0x10000), "the highest gap first");
    assertEquals(0x14000, a.findTopDown(0x1000, 0x20000, 0x10000));
    assertEquals(-1, a.findTopDown(0x2000, 0x20000, 0x10000));
  }
}
