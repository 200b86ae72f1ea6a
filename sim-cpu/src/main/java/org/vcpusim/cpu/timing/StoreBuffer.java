package org.vcpusim.cpu.timing;

/**
 * The store buffer of {@link DataflowTimingModel}: the last {@code entries} stores in program
 * order, each with its address, size, address space, the cycle its data is ready and the cycle it
 * commits to L1. Commits are in program order, at most {@code ports} per cycle, a store's commit
 * delayed by its miss latency beyond L1; so commit cycles never decrease from older to younger
 * stores.
 *
 * <p>{@link #forwardingStore} answers, for a load issued at some cycle, which store (if any) it
 * must get its data from: the youngest older store of its address space that overlaps it, if that
 * store has not committed when the load issues (every older store has then committed as well, so
 * the answer is the same as scanning the buffer from the youngest store and stopping at the first
 * committed one). To find it without a scan, every store is linked into a chain per hashed 8-byte
 * granule it touches, youngest first; a load within one granule walks its granule's chain, which
 * holds only the stores that touched a granule with the same hash, and skips runs of identical
 * stores (a fast path's repeated commit store to a header the load reads next to) at once. A
 * load across two granules, or while a store wider than two granules is buffered, scans the
 * buffer.
 *
 * <p>Slots are addressed by store sequence number modulo a power-of-two capacity of at least
 * {@code entries}; the sequence numbers of the stores in the buffer are {@code [pushed - live,
 * pushed)}. A reference to a store is its slot, valid until {@code entries} more stores were
 * pushed. Chains hold sequence numbers plus one (0: end of chain).
 *
 * <p><b>Caveats:</b> not thread-safe; accesses are at most 8 bytes in the x86-64 subset, wider
 * ones are handled by scanning. Allocates nothing after construction.
 */
final class StoreBuffer {
  private static final int BUCKETS = 1024;

  private final int entries;
  private final int mask;
  private final int ports;

  private final long[] address;
  private final int[] size;
  private final int[] asid;
  private final long[] dataReady;
  private final long[] commit;
  private final int[] missExtra;
  /**
   * Per slot: seq + 1 of the next older store in the chain of the store's first granule's bucket
   * that is not an identical store (same address, size and address space): identical stores
   * overlap the same loads, so a walk that rejected one skips them all.
   */
  private final long[] olderFirst;
  /** Like {@link #olderFirst}, in the chain of the store's last granule's bucket. */
  private final long[] olderLast;
  /** Per bucket: seq + 1 of the youngest store that touched a granule hashing there. */
  private final long[] head = new long[BUCKETS];

  private long pushed;
  /** seq + 1 of the youngest store wider than two granules (then loads scan while it is live). */
  private long wideYoungest;
  private long lastCommit;
  private int commitsThisCycle;

  StoreBuffer(int entries, int ports) {
    if (entries <= 0 || ports <= 0) {
      throw new IllegalArgumentException(entries + " entries, " + ports + " ports");
    }
    this.entries = entries;
    this.ports = ports;
    int capacity = Integer.highestOneBit(entries - 1) << 1;
    capacity = Math.max(capacity, 1);
    this.mask = capacity - 1;
    address = new long[capacity];
    size = new int[capacity];
    asid = new int[capacity];
    dataReady = new long[capacity];
    commit = new long[capacity];
    missExtra = new int[capacity];
    olderFirst = new long[capacity];
    olderLast = new long[capacity];
  }

  private static int bucket(long granule) {
    return (int) (granule ^ (granule >>> 10)) & (BUCKETS - 1);
  }

  /**
   * The link of a new store in slot {@code idx} to the chain whose youngest store is {@code
   * previous} (seq + 1): {@code previous} itself, or its own link when it is a buffered store
   * identical to the new one.
   */
  private long older(long[] links, long previous, long live, int idx) {
    if (previous >= live) {
      int p = (int) (previous - 1) & mask;
      if (identical(p, idx)) {
        return links[p];
      }
    }
    return previous;
  }

  /** Whether the stores in two slots write the same bytes of the same address space. */
  private boolean identical(int a, int b) {
    return address[a] == address[b] && size[a] == size[b] && asid[a] == asid[b];
  }

  /** Sequence number of the oldest buffered store. */
  private long oldest() {
    return pushed > entries ? pushed - entries : 0;
  }

  /**
   * The cycle at which the buffer has room for one more store: 0 while it is not full, else the
   * commit cycle of the oldest store (which the next push replaces).
   */
  long roomCycle() {
    return pushed >= entries ? commit[(int) (pushed - entries) & mask] : 0;
  }

  /** The commit cycle of the youngest committed store (0 before any). */
  long lastCommit() {
    return lastCommit;
  }

  /**
   * Buffers a store (its commit cycle is set by {@link #commit} when it retires).
   *
   * @return its slot
   */
  int push(long storeAddress, int storeSize, int storeAsid, long ready, int extra) {
    long seq = pushed++;
    int idx = (int) seq & mask;
    address[idx] = storeAddress;
    size[idx] = storeSize;
    asid[idx] = storeAsid;
    dataReady[idx] = ready;
    commit[idx] = Long.MAX_VALUE;
    missExtra[idx] = extra;
    long first = storeAddress >>> 3;
    long last = (storeAddress + Math.max(storeSize, 1) - 1) >>> 3;
    long live = oldest() + 1; // seq + 1 of the oldest store still buffered
    int b = bucket(first);
    olderFirst[idx] = older(olderFirst, head[b], live, idx);
    head[b] = seq + 1;
    if (last != first) {
      if (last - first > 1) {
        wideYoungest = seq + 1;
      }
      int bl = bucket(last);
      if (bl != b) {
        olderLast[idx] = older(olderLast, head[bl], live, idx);
        head[bl] = seq + 1;
      }
    }
    return idx;
  }

  /**
   * Commits the store in {@code slot} at {@code earliest} or later: in order after the previous
   * commit, at most {@code ports} per cycle, plus the store's miss latency beyond L1.
   */
  void commit(int slot, long earliest) {
    long c = Math.max(earliest, lastCommit);
    if (c == lastCommit) {
      if (++commitsThisCycle > ports) {
        c++;
        commitsThisCycle = 1;
      }
    } else {
      commitsThisCycle = 1;
    }
    c += missExtra[slot];
    commit[slot] = c;
    lastCommit = c;
  }

  /**
   * The slot of the store a load of {@code [loadAddress, loadAddress + loadSize)} in address space
   * {@code loadAsid}, issued at {@code issue}, gets its data from, or -1 when it reads the cache.
   */
  int forwardingStore(long loadAddress, int loadSize, int loadAsid, long issue) {
    long first = loadAddress >>> 3;
    long last = (loadAddress + Math.max(loadSize, 1) - 1) >>> 3;
    long oldest = oldest();
    if (first != last || wideYoungest > oldest) {
      return scan(loadAddress, loadSize, loadAsid, issue, oldest);
    }
    int b = bucket(first);
    long end = loadAddress + loadSize;
    for (long q = head[b]; q > oldest; ) {
      int idx = (int) (q - 1) & mask;
      if (commit[idx] <= issue) {
        return -1; // this and every older store already reached L1
      }
      long s = address[idx];
      if (asid[idx] == loadAsid && loadAddress < s + size[idx] && s < end) {
        return idx;
      }
      q = bucket(s >>> 3) == b ? olderFirst[idx] : olderLast[idx];
    }
    return -1;
  }

  /** {@link #forwardingStore} by a scan from the youngest store. */
  private int scan(long loadAddress, int loadSize, int loadAsid, long issue, long oldest) {
    long end = loadAddress + loadSize;
    for (long seq = pushed - 1; seq >= oldest; seq--) {
      int idx = (int) seq & mask;
      if (commit[idx] <= issue) {
        return -1;
      }
      long s = address[idx];
      if (asid[idx] == loadAsid && loadAddress < s + size[idx] && s < end) {
        return idx;
      }
    }
    return -1;
  }

  /** Whether the store in {@code slot} covers every byte of the load. */
  boolean covers(int slot, long loadAddress, int loadSize) {
    long s = address[slot];
    return loadAddress >= s && loadAddress + loadSize <= s + size[slot];
  }

  /** The cycle the data of the store in {@code slot} is ready. */
  long dataReady(int slot) {
    return dataReady[slot];
  }

  /** The commit cycle of the store in {@code slot} (set once it retired). */
  long commitCycle(int slot) {
    return commit[slot];
  }
}
