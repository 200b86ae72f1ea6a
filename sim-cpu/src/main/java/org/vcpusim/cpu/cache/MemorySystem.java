package org.vcpusim.cpu.cache;

import org.vcpusim.cpu.exec.MemoryLevel;
import org.vcpusim.cpu.profile.CpuProfile;

/**
 * The cache hierarchy of one simulated machine: per core an L1d and an L2 (inclusive of the L1d),
 * per group of {@code caches.llc.sharedByCores} cores of a socket one shared last-level cache, and
 * a coherence directory. Geometry and latencies come from the {@link CpuProfile} (userspace.md
 * §5.3 and §7 decision 3).
 *
 * <p>Coherence is MESI-lite, enough for the cost rule of the sim-cpu issue ("a line last written
 * by another core costs a cross-core transfer"):
 *
 * <ul>
 *   <li>A read that misses the core's private caches and finds the line modified by another core
 *       D is a {@link MemoryLevel#REMOTE_CORE} transfer costing {@code memory.crossCoreSameLlc},
 *       {@code crossCoreSameSocket} or {@code crossCoreOtherSocket} by where D is; D keeps a
 *       shared copy and the line is written back to D's LLC.
 *   <li>A write invalidates every other core's copies. If another core held the line (modified
 *       or shared) the write pays the transfer/invalidation latency to the farthest such core and
 *       reports {@code REMOTE_CORE}; a later access by a core that lost its copy misses again.
 *   <li>A read miss with no other private copy is served by the LLC of the core's group if
 *       present, else by {@link MemoryLevel#DRAM}; the line is then held {@code EXCLUSIVE}, so a
 *       later write by the same core is silent.
 * </ul>
 *
 * <p>Lines are tagged by (asid, line address): processes never share lines, even at equal
 * addresses (shared memory between processes is not modelled). An access that crosses a line
 * boundary touches both lines and reports the farther level; {@link #lastLatency()} is the larger
 * of the two latencies. L2 victims are written into the group's LLC (a victim fill, as Zen's L3
 * and Ice Lake-SP's non-inclusive LLC do), misses also fill the LLC; the LLC never back-invalidates
 * private copies.
 *
 * <p><b>Caveats:</b> one instance per simulated machine, shared by its cores' timing models; not
 * thread-safe (a simulation runs on one thread). Addresses are linear (virtual) addresses of the
 * process: there is no TLB and no physical tagging.
 */
public final class MemorySystem {
  private static final int LEVELS = MemoryLevel.values().length;
  private static final int L1 = MemoryLevel.L1.ordinal();
  private static final int L2 = MemoryLevel.L2.ordinal();
  private static final int LLC = MemoryLevel.LLC.ordinal();
  private static final int REMOTE = MemoryLevel.REMOTE_CORE.ordinal();
  private static final int DRAM = MemoryLevel.DRAM.ordinal();
  private static final MemoryLevel[] LEVEL = MemoryLevel.values();
  private static final int LEVEL_BITS = 32 - Integer.numberOfLeadingZeros(LEVELS - 1);
  private static final int LEVEL_MASK = (1 << LEVEL_BITS) - 1;

  private final CpuProfile profile;
  private final int cores;
  private final int sockets;
  private final int coresPerSocket;
  private final int lineShift;
  private final SetAssociativeCache[] l1;
  private final SetAssociativeCache[] l2;
  private final SetAssociativeCache[] llc;
  private final int[] groupOf;
  private final int[] socketOf;
  private final LineDirectory directory;

  private final int latL1;
  private final int latL2;
  private final int latLlc;
  private final int latDram;
  private final int latSameLlc;
  private final int latSameSocket;
  private final int latOtherSocket;

  // counters, [core * LEVELS + level]
  private final long[] served;
  private final long[] missed;
  private final long[] transfers;
  private final long[] invalidations;
  private final long[] prefetches;

  private final int l1Cost; // accessCost of an L1 hit
  private int lineLatency;
  private int lastLatency;

  /**
   * @param profile cache geometry and latencies
   * @param sockets number of sockets
   * @param coresPerSocket cores in each socket; cores are numbered socket by socket, and within a
   *     socket every {@code caches.llc.sharedByCores} consecutive cores share one LLC
   */
  public MemorySystem(CpuProfile profile, int sockets, int coresPerSocket) {
    if (sockets <= 0 || coresPerSocket <= 0) {
      throw new IllegalArgumentException(sockets + " sockets of " + coresPerSocket + " cores");
    }
    this.profile = profile;
    this.sockets = sockets;
    this.coresPerSocket = coresPerSocket;
    this.cores = Math.multiplyExact(sockets, coresPerSocket);
    CpuProfile.CacheGeometry g = profile.caches();
    int lineBytes = g.lineBytes();
    this.lineShift = Integer.numberOfTrailingZeros(lineBytes);
    int perGroup = g.llc().sharedByCores();
    int groupsPerSocket = (coresPerSocket + perGroup - 1) / perGroup;
    this.l1 = new SetAssociativeCache[cores];
    this.l2 = new SetAssociativeCache[cores];
    this.llc = new SetAssociativeCache[sockets * groupsPerSocket];
    this.groupOf = new int[cores];
    this.socketOf = new int[cores];
    for (int c = 0; c < cores; c++) {
      l1[c] = SetAssociativeCache.ofSize(g.l1d().sizeKiB() * 1024L, g.l1d().ways(), lineBytes);
      l2[c] = SetAssociativeCache.ofSize(g.l2().sizeKiB() * 1024L, g.l2().ways(), lineBytes);
      socketOf[c] = c / coresPerSocket;
      groupOf[c] = socketOf[c] * groupsPerSocket + (c % coresPerSocket) / perGroup;
    }
    for (int i = 0; i < llc.length; i++) {
      llc[i] = SetAssociativeCache.ofSize(g.llc().sizeKiB() * 1024L, g.llc().ways(), lineBytes);
    }
    this.directory = new LineDirectory(cores);
    CpuProfile.MemoryLatency m = profile.memory();
    latL1 = m.l1();
    l1Cost = latL1 << LEVEL_BITS | L1;
    latL2 = m.l2();
    latLlc = m.llc();
    latDram = m.dram();
    latSameLlc = m.crossCoreSameLlc();
    latSameSocket = m.crossCoreSameSocket();
    latOtherSocket = m.crossCoreOtherSocket();
    served = new long[cores * LEVELS];
    missed = new long[cores * LEVELS];
    transfers = new long[cores];
    invalidations = new long[cores];
    prefetches = new long[cores];
  }

  public CpuProfile profile() {
    return profile;
  }

  public int coreCount() {
    return cores;
  }

  public int socketCount() {
    return sockets;
  }

  public int coresPerSocket() {
    return coresPerSocket;
  }

  /** The socket of a core. */
  public int socketOf(int core) {
    return socketOf[core];
  }

  /** The LLC group (shared-LLC domain, machine-wide numbering) of a core. */
  public int llcGroupOf(int core) {
    return groupOf[core];
  }

  /** Line size in bytes. */
  public int lineBytes() {
    return 1 << lineShift;
  }

  /**
   * One load or store by {@code core} in address space {@code asid}: updates the caches, the
   * directory and the counters.
   *
   * @return the level that served it (the farther one for a line-crossing access); the latency in
   *     cycles is then {@link #lastLatency()}
   */
  public MemoryLevel access(int core, int asid, long address, int size, boolean write) {
    int cost = accessCost(core, asid, address, size, write);
    lastLatency = latencyOf(cost);
    return LEVEL[levelOf(cost)];
  }

  /**
   * {@link #access} for the timing model's hot path: the same effect, with the level and the
   * latency packed into one int ({@link #levelOf}, {@link #latencyOf}) instead of an enum and a
   * field. Does not change {@link #lastLatency()}.
   */
  public int accessCost(int core, int asid, long address, int size, boolean write) {
    long first = address >>> lineShift;
    long last = (address + Math.max(size, 1) - 1) >>> lineShift;
    if (first == last) {
      // fast path: an L1 hit that needs no coherence action
      SetAssociativeCache c1 = l1[core];
      int s = c1.lookup(asid, first);
      if (s >= 0 && (!write || c1.state(s) == SetAssociativeCache.MODIFIED)) {
        served[core * LEVELS + L1]++;
        return l1Cost;
      }
    }
    int level = accessLine(core, asid, first, write, true);
    int latency = lineLatency;
    int more = (int) (last - first);
    for (int k = 1; k <= more; k++) {
      level = Math.max(level, accessLine(core, asid, first + k, write, true));
      latency = Math.max(latency, lineLatency);
    }
    return latency << LEVEL_BITS | level;
  }

  /** The {@link MemoryLevel} ordinal in a packed {@link #accessCost} result. */
  public static int levelOf(int cost) {
    return cost & LEVEL_MASK;
  }

  /** The latency in cycles in a packed {@link #accessCost} result. */
  public static int latencyOf(int cost) {
    return cost >>> LEVEL_BITS;
  }

  /** Load-to-use latency in cycles of the last {@link #access}. */
  public int lastLatency() {
    return lastLatency;
  }

  /**
   * {@code prefetcht0}: brings the line into the core's L1 and L2 as a read would, without being
   * counted as a demand access.
   */
  public void prefetch(int core, int asid, long address) {
    prefetches[core]++;
    long line = address >>> lineShift;
    if (l1[core].lookup(asid, line) < 0) { // an L1 hit only refreshes the line's LRU position
      accessLine(core, asid, line, false, false);
    }
  }

  /** Latency of a transfer of a line modified in core {@code from} to core {@code to}. */
  public int crossCoreLatency(int to, int from) {
    if (groupOf[to] == groupOf[from]) {
      return latSameLlc;
    }
    return socketOf[to] == socketOf[from] ? latSameSocket : latOtherSocket;
  }

  // ------------------------------------------------------------------ line protocol

  private int accessLine(int core, int asid, long line, boolean write, boolean demand) {
    int level = lookupLine(core, asid, line, write, demand);
    if (level == REMOTE) {
      transfers[core]++;
    }
    return level;
  }

  private int lookupLine(int core, int asid, long line, boolean write, boolean demand) {
    int base = core * LEVELS;
    SetAssociativeCache c1 = l1[core];
    int s1 = c1.lookup(asid, line);
    if (s1 >= 0) {
      byte st = c1.state(s1);
      int level = L1;
      lineLatency = latL1;
      if (write && st != SetAssociativeCache.MODIFIED) {
        int cost = st == SetAssociativeCache.SHARED
            ? upgrade(core, asid, line)
            : silentUpgrade(core, asid, line);
        c1.setState(s1, SetAssociativeCache.MODIFIED);
        l2[core].setStateIfPresent(asid, line, SetAssociativeCache.MODIFIED);
        if (cost > 0) {
          level = REMOTE;
          lineLatency = cost;
        }
      }
      if (demand) {
        served[base + level]++;
      }
      return level;
    }
    if (demand) {
      missed[base + L1]++;
    }
    SetAssociativeCache c2 = l2[core];
    int s2 = c2.lookup(asid, line);
    if (s2 >= 0) {
      byte st = c2.state(s2);
      int level = L2;
      lineLatency = latL2;
      if (write && st != SetAssociativeCache.MODIFIED) {
        int cost = st == SetAssociativeCache.SHARED
            ? upgrade(core, asid, line)
            : silentUpgrade(core, asid, line);
        st = SetAssociativeCache.MODIFIED;
        c2.setState(s2, st);
        if (cost > 0) {
          level = REMOTE;
          lineLatency = Math.max(latL2, cost);
        }
      }
      c1.insert(asid, line, st);
      if (demand) {
        served[base + level]++;
      }
      return level;
    }
    if (demand) {
      missed[base + L2]++;
    }
    return privateMiss(core, asid, line, write, demand);
  }

  /** A write to a line this core holds SHARED: invalidates the others; returns the cost or 0. */
  private int upgrade(int core, int asid, long line) {
    int d = directory.find(asid, line);
    if (d < 0) {
      throw new IllegalStateException("line held privately but not in the directory");
    }
    int cost = invalidateOthers(d, core, asid, line);
    directory.setOwner(d, core, true);
    return cost;
  }

  /** A first write to an EXCLUSIVE line: marks it dirty in the directory; costs nothing. */
  private int silentUpgrade(int core, int asid, long line) {
    int d = directory.find(asid, line);
    if (d < 0) {
      throw new IllegalStateException("line held privately but not in the directory");
    }
    directory.setOwner(d, core, true);
    return 0;
  }

  /** Drops every other core's copy; returns the latency to the farthest of them, or 0. */
  private int invalidateOthers(int d, int core, int asid, long line) {
    int cost = 0;
    for (int s = directory.nextSharer(d, 0); s >= 0; s = directory.nextSharer(d, s + 1)) {
      if (s != core) {
        l1[s].invalidate(asid, line);
        l2[s].invalidate(asid, line);
        directory.removeSharer(d, s);
        invalidations[s]++;
        cost = Math.max(cost, crossCoreLatency(core, s));
      }
    }
    return cost;
  }

  private int privateMiss(int core, int asid, long line, boolean write, boolean demand) {
    int base = core * LEVELS;
    int group = groupOf[core];
    int d = directory.find(asid, line);
    int level;
    byte state;
    if (d >= 0 && directory.owner(d) >= 0 && directory.owner(d) != core
        && directory.dirty(d)) {
      // modified in another core: cache-to-cache transfer
      int owner = directory.owner(d);
      level = REMOTE;
      lineLatency = crossCoreLatency(core, owner);
      if (write) {
        invalidateOthers(d, core, asid, line);
        directory.setOwner(d, core, true);
        state = SetAssociativeCache.MODIFIED;
      } else {
        l1[owner].setStateIfPresent(asid, line, SetAssociativeCache.SHARED);
        l2[owner].setStateIfPresent(asid, line, SetAssociativeCache.SHARED);
        fillLlc(groupOf[owner], asid, line);
        directory.clearOwner(d);
        state = SetAssociativeCache.SHARED;
      }
    } else if (d >= 0) {
      // clean copies in other cores
      int owner = directory.owner(d);
      if (owner >= 0 && owner != core) {
        l1[owner].setStateIfPresent(asid, line, SetAssociativeCache.SHARED);
        l2[owner].setStateIfPresent(asid, line, SetAssociativeCache.SHARED);
        directory.clearOwner(d);
      }
      if (lookupLlc(group, asid, line)) {
        level = LLC;
        lineLatency = latLlc;
      } else {
        level = REMOTE;
        lineLatency = nearestSharerLatency(d, core);
        if (demand) {
          missed[base + LLC]++;
        }
        fillLlc(group, asid, line);
      }
      if (write) {
        int cost = invalidateOthers(d, core, asid, line);
        if (cost > lineLatency) {
          lineLatency = cost;
          level = REMOTE;
        }
        directory.setOwner(d, core, true);
        state = SetAssociativeCache.MODIFIED;
      } else {
        state = SetAssociativeCache.SHARED;
      }
    } else {
      // no private copy anywhere
      if (lookupLlc(group, asid, line)) {
        level = LLC;
        lineLatency = latLlc;
      } else {
        level = DRAM;
        lineLatency = latDram;
        if (demand) {
          missed[base + LLC]++;
        }
        fillLlc(group, asid, line);
      }
      d = directory.create(asid, line);
      directory.setOwner(d, core, write);
      state = write ? SetAssociativeCache.MODIFIED : SetAssociativeCache.EXCLUSIVE;
    }
    directory.addSharer(d, core);
    if (demand) {
      served[base + level]++;
    }
    fillPrivate(core, asid, line, state);
    return level;
  }

  private int nearestSharerLatency(int d, int core) {
    int best = Integer.MAX_VALUE;
    for (int s = directory.nextSharer(d, 0); s >= 0; s = directory.nextSharer(d, s + 1)) {
      if (s != core) {
        best = Math.min(best, crossCoreLatency(core, s));
      }
    }
    return best == Integer.MAX_VALUE ? latDram : best;
  }

  private boolean lookupLlc(int group, int asid, long line) {
    return llc[group].lookup(asid, line) >= 0;
  }

  private void fillLlc(int group, int asid, long line) {
    SetAssociativeCache c = llc[group];
    if (c.lookup(asid, line) < 0) {
      c.insert(asid, line, SetAssociativeCache.SHARED);
    }
  }

  /** Puts a line into the core's L2 and L1, handling the L2 victim. */
  private void fillPrivate(int core, int asid, long line, byte state) {
    SetAssociativeCache c2 = l2[core];
    c2.insert(asid, line, state);
    if (c2.evictedState() != SetAssociativeCache.INVALID) {
      long victim = c2.evictedLine();
      int victimAsid = c2.evictedAsid();
      l1[core].invalidate(victimAsid, victim); // L2 is inclusive of L1
      int d = directory.find(victimAsid, victim);
      if (d >= 0) {
        directory.removeSharer(d, core);
        if (directory.owner(d) == core) {
          directory.clearOwner(d);
        }
        if (!directory.hasSharers(d)) {
          directory.remove(d);
        }
      }
      fillLlc(groupOf[core], victimAsid, victim);
    }
    l1[core].insert(asid, line, state);
  }

  // ------------------------------------------------------------------ counters

  /** Line accesses by {@code core} served at {@code level} (prefetches excluded). */
  public long hits(int core, MemoryLevel level) {
    return served[core * LEVELS + level.ordinal()];
  }

  /**
   * Line accesses by {@code core} that missed {@code level} ({@link MemoryLevel#L1}, {@link
   * MemoryLevel#L2} or {@link MemoryLevel#LLC}; 0 for other levels).
   */
  public long misses(int core, MemoryLevel level) {
    return missed[core * LEVELS + level.ordinal()];
  }

  /** Accesses by {@code core} that pulled a modified line from, or invalidated, another core. */
  public long transfers(int core) {
    return transfers[core];
  }

  /** Lines {@code core} lost because another core wrote them. */
  public long invalidations(int core) {
    return invalidations[core];
  }

  /** Prefetches issued by {@code core}. */
  public long prefetches(int core) {
    return prefetches[core];
  }

  /** A snapshot of one core's counters. */
  public CacheStatistics statistics(int core) {
    int b = core * LEVELS;
    return new CacheStatistics(
        core,
        served[b + L1],
        missed[b + L1],
        served[b + L2],
        missed[b + L2],
        served[b + LLC],
        missed[b + LLC],
        served[b + REMOTE],
        served[b + DRAM],
        transfers[core],
        invalidations[core],
        prefetches[core]);
  }

  /**
   * Checks the coherence invariants (a scan of every cache; for tests): every L1 line is in the
   * same core's L2 with the same state; every privately held line has a directory entry naming
   * the core as a sharer; a line held EXCLUSIVE or MODIFIED by a core is its directory owner and
   * is held by no other core.
   *
   * @throws IllegalStateException naming the first violation
   */
  public void checkCoherence() {
    for (int c = 0; c < cores; c++) {
      SetAssociativeCache a = l1[c];
      for (int s = 0; s < a.capacity(); s++) {
        if (a.state(s) != SetAssociativeCache.INVALID) {
          int s2 = l2[c].find(a.asidAt(s), a.lineAt(s));
          if (s2 < 0 || l2[c].state(s2) != a.state(s)) {
            throw new IllegalStateException("core " + c + " L1 line " + a.lineAt(s)
                + " not in L2 with the same state");
          }
        }
      }
      SetAssociativeCache b = l2[c];
      for (int s = 0; s < b.capacity(); s++) {
        byte st = b.state(s);
        if (st == SetAssociativeCache.INVALID) {
          continue;
        }
        int asid = b.asidAt(s);
        long line = b.lineAt(s);
        int d = directory.find(asid, line);
        if (d < 0 || !directory.isSharer(d, c)) {
          throw new IllegalStateException("core " + c + " holds line " + line
              + " unknown to the directory");
        }
        if (st >= SetAssociativeCache.EXCLUSIVE) {
          if (directory.owner(d) != c) {
            throw new IllegalStateException("core " + c + " holds line " + line
                + " exclusively but the directory owner is " + directory.owner(d));
          }
          for (int o = 0; o < cores; o++) {
            if (o != c && l2[o].find(asid, line) >= 0) {
              throw new IllegalStateException("line " + line + " exclusive in core " + c
                  + " is also held by core " + o);
            }
          }
        }
      }
    }
    for (int d = 0; d < directory.capacity(); d++) {
      if (!directory.occupied(d)) {
        continue;
      }
      if (!directory.hasSharers(d)) {
        throw new IllegalStateException("directory entry without sharers");
      }
      for (int s = directory.nextSharer(d, 0); s >= 0; s = directory.nextSharer(d, s + 1)) {
        if (l2[s].find(directory.asid(d), directory.line(d)) < 0) {
          throw new IllegalStateException("directory names core " + s + " for line "
              + directory.line(d) + " it does not hold");
        }
      }
    }
  }

  /** Whether the line holding {@code address} is in {@code core}'s L1 (for tests and checks). */
  public boolean inL1(int core, int asid, long address) {
    return l1[core].find(asid, address >>> lineShift) >= 0;
  }

  /** Whether the line holding {@code address} is in {@code core}'s L2. */
  public boolean inL2(int core, int asid, long address) {
    return l2[core].find(asid, address >>> lineShift) >= 0;
  }
}
