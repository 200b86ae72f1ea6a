package org.vcpusim.cpu.exec;

import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Segment;

/**
 * What one executed instruction did, as the core hands it to the {@link TimingModel} and to
 * observers: the instruction, the memory accesses it made (with linear addresses, segment base
 * already added), and where control went. The timing model writes back what it charged.
 *
 * <p><b>Caveats:</b> one instance per core, overwritten by every instruction: read it inside the
 * callback, never keep it. Not thread-safe.
 */
public final class ExecutionRecord {
  /** Most accesses one instruction of the subset makes (e.g. {@code push mem}, {@code xchg}). */
  public static final int MAX_ACCESSES = 4;

  /** The instruction that retired. */
  public Instruction insn;
  /** Address-space id of the process the instruction ran in (cache lines are tagged by it). */
  public int asid;

  /** Number of valid entries in the access arrays. */
  public int accessCount;
  /** Linear address of each access (segment base included). */
  public final long[] address = new long[MAX_ACCESSES];
  /** Width in bytes of each access. */
  public final int[] size = new int[MAX_ACCESSES];
  /** True for a store, false for a load. */
  public final boolean[] write = new boolean[MAX_ACCESSES];
  /** The segment override used by each access. */
  public final Segment[] segment = new Segment[MAX_ACCESSES];
  /** True when that segment's base was non-zero (costs a cycle of address generation). */
  public final boolean[] nonZeroSegmentBase = new boolean[MAX_ACCESSES];
  /** Prefetch address for {@code prefetch*} instructions, or -1. */
  public long prefetchAddress;

  /** For branches: true when the branch was taken. */
  public boolean branchTaken;
  /** RIP after the instruction. */
  public long nextRip;

  // ---- written by the timing model
  /** Cycles between the previous instruction's retirement and this one's. */
  public long retireCycles;
  /** The deepest {@link MemoryLevel} that served one of this instruction's loads or stores. */
  public MemoryLevel servedBy = MemoryLevel.NONE;

  /** Resets the per-instruction fields before the core executes {@code next}. */
  public void begin(Instruction next, int addressSpaceId) {
    insn = next;
    asid = addressSpaceId;
    accessCount = 0;
    prefetchAddress = -1;
    branchTaken = false;
    retireCycles = 0;
    servedBy = MemoryLevel.NONE;
  }

  /** Appends one access. */
  public void addAccess(long linearAddress, int width, boolean isWrite, Segment seg,
      boolean nonZeroBase) {
    int i = accessCount++;
    address[i] = linearAddress;
    size[i] = width;
    write[i] = isWrite;
    segment[i] = seg;
    nonZeroSegmentBase[i] = nonZeroBase;
  }
}
