package org.vcpusim.cpu.mem;

import java.util.Arrays;

/**
 * A map from virtual page number to {@link Page}: open addressing with linear probing on primitive
 * {@code long} keys (no boxing), at most half full, with backward-shift deletion (Knuth, TAOCP vol.
 * 3, 6.4 algorithm R) so that lookups never meet tombstones.
 *
 * <p><b>Caveats:</b> not thread-safe.
 */
final class PageTable {
  private static final long EMPTY = -1L;

  private long[] keys;
  private Page[] values;
  private int mask;
  private int size;

  PageTable() {
    this(64);
  }

  private PageTable(int capacity) {
    keys = new long[capacity];
    Arrays.fill(keys, EMPTY);
    values = new Page[capacity];
    mask = capacity - 1;
  }

  private static int hash(long vpn) {
    return (int) ((vpn * 0x9E3779B97F4A7C15L) >>> 32);
  }

  int size() {
    return size;
  }

  /** The page with that number, or null. */
  Page get(long vpn) {
    long[] k = keys;
    int m = mask;
    int i = hash(vpn) & m;
    while (true) {
      long key = k[i];
      if (key == vpn) {
        return values[i];
      }
      if (key == EMPTY) {
        return null;
      }
      i = (i + 1) & m;
    }
  }

  /** Inserts or replaces. {@code vpn} must be non-negative. */
  void put(long vpn, Page page) {
    int i = hash(vpn) & mask;
    while (true) {
      long key = keys[i];
      if (key == vpn) {
        values[i] = page;
        return;
      }
      if (key == EMPTY) {
        keys[i] = vpn;
        values[i] = page;
        if (++size * 2 > keys.length) {
          grow();
        }
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** Removes and returns the page with that number, or null when absent. */
  Page remove(long vpn) {
    int i = hash(vpn) & mask;
    while (true) {
      long key = keys[i];
      if (key == EMPTY) {
        return null;
      }
      if (key == vpn) {
        break;
      }
      i = (i + 1) & mask;
    }
    Page old = values[i];
    int hole = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      long key = keys[j];
      if (key == EMPTY) {
        break;
      }
      int home = hash(key) & mask;
      // The entry at j may fill the hole unless its home lies cyclically in (hole, j].
      boolean stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (!stays) {
        keys[hole] = key;
        values[hole] = values[j];
        hole = j;
      }
    }
    keys[hole] = EMPTY;
    values[hole] = null;
    size--;
    return old;
  }

  /** Every page number present, in table order (unspecified but deterministic for one history). */
  long[] pageNumbers() {
    long[] out = new long[size];
    int n = 0;
    for (long key : keys) {
      if (key != EMPTY) {
        out[n++] = key;
      }
    }
    return out;
  }

  private void grow() {
    long[] oldKeys = keys;
    Page[] oldValues = values;
    int capacity = oldKeys.length * 2;
    keys = new long[capacity];
    Arrays.fill(keys, EMPTY);
    values = new Page[capacity];
    mask = capacity - 1;
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }
}
