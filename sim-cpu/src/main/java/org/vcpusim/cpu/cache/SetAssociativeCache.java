package org.vcpusim.cpu.cache;

/**
 * Tag store of one set-associative cache with true LRU replacement within each set. Lines are
 * tagged by (address-space id, line address), so two processes never hit on each other's lines.
 * Each resident line carries a small coherence state ({@link #SHARED}, {@link #EXCLUSIVE}, {@link
 * #MODIFIED}); the cache itself does not interpret it.
 *
 * <p>Storage is four flat arrays indexed by slot ({@code set * ways + way}); LRU order is a stamp
 * per slot from a per-cache access counter, so a lookup is a linear scan of one set and no
 * allocation ever happens. When the number of sets is a power of two the set index is the low
 * bits of the line address, otherwise the line address modulo the set count (LLCs of 12-way,
 * 1.5 MiB-per-core slices, e.g. Ice Lake-SP, have such set counts).
 *
 * <p><b>Caveats:</b> not thread-safe. {@link #insert} reports the line it evicted through {@link
 * #evictedLine()}, {@link #evictedAsid()} and {@link #evictedState()}, valid until the next
 * insert.
 */
public final class SetAssociativeCache {
  /** State of an empty slot. */
  public static final byte INVALID = 0;
  /** Clean, possibly also held by other cores. */
  public static final byte SHARED = 1;
  /** Clean and held by no other core: a write needs no coherence action. */
  public static final byte EXCLUSIVE = 2;
  /** Written by this core and held by no other core. */
  public static final byte MODIFIED = 3;

  private final int sets;
  private final int ways;
  private final long setMask;
  private final boolean powerOfTwoSets;
  private final long[] lines;
  private final int[] asids;
  private final long[] stamps;
  private final byte[] states;
  private final int[] mru; // per set: the most recently used slot
  private long clock;

  private long evictedLine;
  private int evictedAsid;
  private byte evictedState;

  /**
   * @param sets number of sets (any positive number)
   * @param ways lines per set
   */
  public SetAssociativeCache(int sets, int ways) {
    if (sets <= 0 || ways <= 0) {
      throw new IllegalArgumentException("sets " + sets + ", ways " + ways);
    }
    this.sets = sets;
    this.ways = ways;
    this.powerOfTwoSets = Integer.bitCount(sets) == 1;
    this.setMask = sets - 1L;
    int slots = Math.multiplyExact(sets, ways);
    this.lines = new long[slots];
    this.asids = new int[slots];
    this.stamps = new long[slots];
    this.states = new byte[slots];
    this.mru = new int[sets];
    for (int set = 0; set < sets; set++) {
      mru[set] = set * ways;
    }
  }

  /** A cache of {@code sizeBytes} with {@code ways}-way sets of {@code lineBytes}-byte lines. */
  public static SetAssociativeCache ofSize(long sizeBytes, int ways, int lineBytes) {
    long lineCount = sizeBytes / lineBytes;
    if (lineCount % ways != 0 || lineCount == 0) {
      throw new IllegalArgumentException(
          sizeBytes + " bytes is not a whole number of " + ways + "-way sets");
    }
    return new SetAssociativeCache(Math.toIntExact(lineCount / ways), ways);
  }

  public int sets() {
    return sets;
  }

  public int ways() {
    return ways;
  }

  /** The set a line address maps to. */
  public int setOf(long line) {
    return powerOfTwoSets ? (int) (line & setMask) : (int) Long.remainderUnsigned(line, sets);
  }

  /** The slot holding the line, or -1. Does not change LRU order. */
  public int find(int asid, long line) {
    int base = setOf(line) * ways;
    for (int s = base, end = base + ways; s < end; s++) {
      if (lines[s] == line && states[s] != INVALID && asids[s] == asid) {
        return s;
      }
    }
    return -1;
  }

  /**
   * The slot holding the line, made most recently used, or -1. The set's most recently used slot
   * is checked first: a repeated access costs no scan and no stamp update (it already has the
   * newest stamp of its set).
   */
  public int lookup(int asid, long line) {
    int set = setOf(line);
    int m = mru[set];
    if (lines[m] == line && asids[m] == asid && states[m] != INVALID) {
      return m;
    }
    int base = set * ways;
    for (int s = base, end = base + ways; s < end; s++) {
      if (lines[s] == line && states[s] != INVALID && asids[s] == asid) {
        stamps[s] = ++clock;
        mru[set] = s;
        return s;
      }
    }
    return -1;
  }

  /** Marks a slot most recently used (prefer {@link #lookup}, which also tracks the set's MRU). */
  public void touch(int slot) {
    stamps[slot] = ++clock;
  }

  /** The coherence state of a slot. */
  public byte state(int slot) {
    return states[slot];
  }

  /** Sets the coherence state of a resident slot. */
  public void setState(int slot, byte state) {
    states[slot] = state;
  }

  /** Sets the state of the line if resident; returns whether it was. */
  public boolean setStateIfPresent(int asid, long line, byte state) {
    int s = find(asid, line);
    if (s >= 0) {
      states[s] = state;
      return true;
    }
    return false;
  }

  /** Drops the line if resident; returns whether it was. */
  public boolean invalidate(int asid, long line) {
    int s = find(asid, line);
    if (s >= 0) {
      states[s] = INVALID;
      return true;
    }
    return false;
  }

  /**
   * Puts a line that is not resident into its set as most recently used, replacing an empty slot
   * or else the least recently used line, which is then reported by {@link #evictedState()} (or
   * {@link #INVALID} when nothing was evicted).
   *
   * @return the slot now holding the line
   */
  public int insert(int asid, long line, byte state) {
    int set = setOf(line);
    int base = set * ways;
    int victim = base;
    long oldest = Long.MAX_VALUE;
    for (int s = base, end = base + ways; s < end; s++) {
      if (states[s] == INVALID) {
        victim = s;
        oldest = Long.MIN_VALUE;
        break;
      }
      if (stamps[s] < oldest) {
        oldest = stamps[s];
        victim = s;
      }
    }
    evictedState = states[victim];
    evictedLine = lines[victim];
    evictedAsid = asids[victim];
    lines[victim] = line;
    asids[victim] = asid;
    states[victim] = state;
    stamps[victim] = ++clock;
    mru[set] = victim;
    return victim;
  }

  /** Line address evicted by the last {@link #insert}, if {@link #evictedState()} is valid. */
  public long evictedLine() {
    return evictedLine;
  }

  /** Address-space id of the line evicted by the last {@link #insert}. */
  public int evictedAsid() {
    return evictedAsid;
  }

  /** State of the line evicted by the last {@link #insert}; {@link #INVALID} when none was. */
  public byte evictedState() {
    return evictedState;
  }

  /** Number of slots ({@code sets * ways}). */
  public int capacity() {
    return states.length;
  }

  /** Line address in a slot (meaningful when its state is not {@link #INVALID}). */
  public long lineAt(int slot) {
    return lines[slot];
  }

  /** Address-space id in a slot (meaningful when its state is not {@link #INVALID}). */
  public int asidAt(int slot) {
    return asids[slot];
  }

  /** Number of resident lines (a scan; for tests and statistics). */
  public int residentLines() {
    int n = 0;
    for (byte st : states) {
      if (st != INVALID) {
        n++;
      }
    }
    return n;
  }

  /** Drops every line. */
  public void clear() {
    java.util.Arrays.fill(states, INVALID);
  }
}
