package org.vcpusim.cpu.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link StoreBuffer} against the rule it implements, checked by brute force: a load gets its data
 * from the youngest buffered store of its address space that overlaps it, found by scanning the
 * buffered stores from the youngest and stopping at the first one that committed by the load's
 * issue cycle.
 */
class StoreBufferTest {
  private static final long BASE = 0x600000;

  /** One buffered store as the reference sees it. */
  private record Store(long seq, long address, int size, int asid, long commit) {}

  /** The reference answer: the sequence number of the forwarding store, or -1. */
  private static long reference(List<Store> all, int entries, long address, int size, int asid,
      long issue) {
    for (int k = all.size() - 1; k >= Math.max(0, all.size() - entries); k--) {
      Store s = all.get(k);
      if (s.commit <= issue) {
        return -1;
      }
      if (s.asid == asid && address < s.address + s.size && s.address < address + size) {
        return s.seq;
      }
    }
    return -1;
  }

  /**
   * Random streams of stores (1 to 16 bytes, two address spaces, a 160-byte window so granules
   * collide and overlap often) and loads (1 to 8 bytes, any alignment) at random issue cycles.
   */
  @Test
  void findsTheStoreAScanWouldFind() {
    qt().withExamples(300)
        .forAll(lists().of(integers().between(0, Integer.MAX_VALUE)).ofSizeBetween(1, 300),
            integers().between(1, 20))
        .checkAssert(StoreBufferTest::run);
  }

  private static void run(List<Integer> ops, int entries) {
    StoreBuffer sb = new StoreBuffer(entries, 2);
    List<Store> all = new ArrayList<>();
    int[] sizes = {1, 2, 4, 8};
    long now = 0;
    for (int op : ops) {
      long address = BASE + (op >>> 8) % 160;
      int asid = (op >>> 7) & 1;
      now += (op >>> 4) & 3;
      if ((op & 1) == 0) {
        int size = (op & 0x40) != 0 && (op & 0x20) != 0 ? 16 : sizes[(op >>> 1) & 3];
        long roomBefore = sb.roomCycle();
        // the data-ready cycle is the store's sequence number: it names the store below
        int slot = sb.push(address, size, asid, all.size(), (op >>> 2) & 3);
        // the buffer frees the oldest slot for the newest store
        assertTrue(all.size() < entries || roomBefore == all.get(all.size() - entries).commit);
        sb.commit(slot, now + 1);
        all.add(new Store(all.size(), address, size, asid, sb.commitCycle(slot)));
        assertTrue(all.size() < 2 || all.get(all.size() - 2).commit <= sb.commitCycle(slot),
            "commits in program order");
      } else {
        int size = sizes[(op >>> 1) & 3];
        long issue = now - ((op >>> 12) & 15);
        long expected = reference(all, entries, address, size, asid, issue);
        int slot = sb.forwardingStore(address, size, asid, issue);
        if (expected < 0) {
          assertEquals(-1, slot, "no store should forward");
        } else {
          assertTrue(slot >= 0, "store " + expected + " should forward");
          Store s = all.get((int) expected);
          assertEquals(expected, sb.dataReady(slot), "the youngest overlapping store");
          assertEquals(s.commit, sb.commitCycle(slot));
          assertEquals(s.address <= address && address + size <= s.address + s.size,
              sb.covers(slot, address, size));
        }
      }
    }
  }
}
