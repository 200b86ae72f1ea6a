package org.vcpusim.cpu.cache;

import java.util.Arrays;

/**
 * Coherence directory of a {@link MemorySystem}: for every line held in at least one core's
 * private caches, which cores hold it (sharers) and which core, if any, holds it exclusively
 * (owner), and whether the owner has written it (dirty).
 *
 * <p>An open-addressing hash table with linear probing and backward-shift deletion, keyed by
 * (address-space id, line address); sharers are a bit set of {@code ceil(cores / 64)} words per
 * entry. No boxing and no allocation except when the table grows.
 *
 * <p><b>Caveats:</b> not thread-safe. Slot numbers are invalidated by {@link #create} (which may
 * grow the table) and {@link #remove}.
 */
final class LineDirectory {
  private static final int NO_OWNER = -1;

  private final int words;
  private long[] lines;
  private int[] asidPlusOne; // 0 = empty slot
  private int[] owner;
  private boolean[] dirty;
  private long[] sharers;
  private int size;
  private int mask;

  LineDirectory(int cores) {
    this.words = (cores + 63) >>> 6;
    allocate(1024);
  }

  private void allocate(int capacity) {
    lines = new long[capacity];
    asidPlusOne = new int[capacity];
    owner = new int[capacity];
    dirty = new boolean[capacity];
    sharers = new long[capacity * words];
    mask = capacity - 1;
    size = 0;
  }

  int size() {
    return size;
  }

  private int hash(int asid, long line) {
    long h = (line ^ ((long) asid << 40)) * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 40) & mask;
  }

  /** The slot of the line, or -1. */
  int find(int asid, long line) {
    int key = asid + 1;
    for (int i = hash(asid, line); ; i = (i + 1) & mask) {
      int a = asidPlusOne[i];
      if (a == 0) {
        return -1;
      }
      if (a == key && lines[i] == line) {
        return i;
      }
    }
  }

  /** Creates an entry with no owner and no sharers for a line that has none; returns its slot. */
  int create(int asid, long line) {
    if ((size + 1) * 10 > (mask + 1) * 6) {
      grow();
    }
    int i = hash(asid, line);
    while (asidPlusOne[i] != 0) {
      i = (i + 1) & mask;
    }
    asidPlusOne[i] = asid + 1;
    lines[i] = line;
    owner[i] = NO_OWNER;
    dirty[i] = false;
    Arrays.fill(sharers, i * words, i * words + words, 0L);
    size++;
    return i;
  }

  private void grow() {
    long[] oldLines = lines;
    int[] oldAsid = asidPlusOne;
    int[] oldOwner = owner;
    boolean[] oldDirty = dirty;
    long[] oldSharers = sharers;
    allocate((mask + 1) * 2);
    for (int j = 0; j < oldAsid.length; j++) {
      if (oldAsid[j] != 0) {
        int i = create(oldAsid[j] - 1, oldLines[j]);
        owner[i] = oldOwner[j];
        dirty[i] = oldDirty[j];
        System.arraycopy(oldSharers, j * words, sharers, i * words, words);
      }
    }
  }

  /** Removes the entry in slot {@code i} (backward-shift deletion keeps probe chains intact). */
  void remove(int i) {
    int hole = i;
    for (int j = (i + 1) & mask; asidPlusOne[j] != 0; j = (j + 1) & mask) {
      int home = hash(asidPlusOne[j] - 1, lines[j]);
      // move j into the hole if its home is not cyclically in (hole, j]
      boolean homeBetween = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (!homeBetween) {
        asidPlusOne[hole] = asidPlusOne[j];
        lines[hole] = lines[j];
        owner[hole] = owner[j];
        dirty[hole] = dirty[j];
        System.arraycopy(sharers, j * words, sharers, hole * words, words);
        hole = j;
      }
    }
    asidPlusOne[hole] = 0;
    size--;
  }

  /** Number of slots, for scans. */
  int capacity() {
    return mask + 1;
  }

  /** Whether slot {@code i} holds an entry. */
  boolean occupied(int i) {
    return asidPlusOne[i] != 0;
  }

  int asid(int i) {
    return asidPlusOne[i] - 1;
  }

  long line(int i) {
    return lines[i];
  }

  /** The core holding the line exclusively (EXCLUSIVE or MODIFIED), or -1. */
  int owner(int i) {
    return owner[i];
  }

  /** Whether the owner has written the line. */
  boolean dirty(int i) {
    return dirty[i];
  }

  void setOwner(int i, int core, boolean isDirty) {
    owner[i] = core;
    dirty[i] = isDirty;
  }

  void clearOwner(int i) {
    owner[i] = NO_OWNER;
    dirty[i] = false;
  }

  boolean isSharer(int i, int core) {
    return (sharers[i * words + (core >>> 6)] & (1L << core)) != 0;
  }

  void addSharer(int i, int core) {
    sharers[i * words + (core >>> 6)] |= 1L << core;
  }

  void removeSharer(int i, int core) {
    sharers[i * words + (core >>> 6)] &= ~(1L << core);
  }

  boolean hasSharers(int i) {
    for (int w = i * words, end = w + words; w < end; w++) {
      if (sharers[w] != 0) {
        return true;
      }
    }
    return false;
  }

  /** The next sharer at or after {@code from}, or -1. */
  int nextSharer(int i, int from) {
    int w = from >>> 6;
    if (w >= words) {
      return -1;
    }
    long bits = sharers[i * words + w] & (-1L << from);
    while (true) {
      if (bits != 0) {
        return (w << 6) + Long.numberOfTrailingZeros(bits);
      }
      if (++w >= words) {
        return -1;
      }
      bits = sharers[i * words + w];
    }
  }
}
