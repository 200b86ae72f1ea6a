package org.vcpusim.cpu.timing;

import java.util.IdentityHashMap;
import java.util.Objects;
import org.vcpusim.cpu.cache.MemorySystem;
import org.vcpusim.cpu.exec.ExecutionRecord;
import org.vcpusim.cpu.exec.MemoryLevel;
import org.vcpusim.cpu.exec.TimingModel;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.profile.CpuProfile;

/**
 * Out-of-order-lite timing of one core (userspace.md §7 decision 1: "model loads as
 * dependency-chain latency, not instruction count"). For each retired instruction, in program
 * order:
 *
 * <ol>
 *   <li><b>Front end.</b> Instructions enter in order, at most {@code pipeline.issueWidth} per
 *       cycle, and not before the instruction {@code pipeline.robEntries} older has retired (the
 *       reorder buffer is full) nor, for a store, before the store {@code storeBufferEntries}
 *       older has committed.
 *   <li><b>Dataflow.</b> The instruction starts when its front-end cycle has come and its inputs
 *       are ready: a ready cycle is kept per general-purpose register and for the flags. A load
 *       takes a load port at the first cycle with one free after its address is generated — when its
 *       address registers are ready, plus {@code memory.segmentBasePenalty} when its FS/GS base is
 *       non-zero (an extra address-generation cycle: userspace.md §5.1, §7 decision 2) — and
 *       delivers its data after the latency of the level that served it ({@link MemorySystem}).
 *       An instruction that does integer work ({@link InstructionTiming#usesAlu}: register
 *       operations, the ALU part of load-ops and read-modify-writes, branches, calls and returns)
 *       then starts at the first cycle with one of the {@code pipeline.aluPorts} integer ALU
 *       pipes free, at or after its inputs (register and loaded) are ready. The operation takes
 *       its {@link InstructionTiming#latency} from its start and writes its registers and flags.
 *   <li><b>Store-to-load forwarding.</b> Stores wait in a store buffer ({@link StoreBuffer})
 *       until they commit to L1, one cycle after retiring at the earliest, {@code storePorts} per
 *       cycle, in order, later by the miss latency when the line was not in L1. A load that
 *       overlaps a store that has not committed when the load issues gets its data {@code
 *       memory.storeForward} cycles after the store's data is ready if the store covers it
 *       entirely; if the store covers it only partly, forwarding is tried and fails, and the load
 *       is replayed from L1 once the store has committed (at the earliest {@code storeForward +
 *       l1} after the data is ready). userspace.md §7 decision 3: same-size-class loops are bound
 *       by this chain.
 *   <li><b>Branches.</b> Conditional branches are predicted by a gshare predictor, indirect jumps
 *       and calls by a BTB, returns by a return stack ({@link BranchPredictor}). A misprediction
 *       restarts the front end {@code branch.mispredictPenalty} cycles after the branch resolves
 *       (one cycle after its inputs are ready); a correctly predicted taken branch ends the fetch
 *       cycle once {@code takenPerCycle} taken branches were followed in it, plus {@code
 *       takenBubble} cycles. Correctly predicted calls and returns follow one another at most
 *       one per {@code branch.callReturnCycles} (0 = no limit), the front end waiting for the slot.
 *   <li><b>Serializing instructions</b> (lfence, mfence, lock-prefixed and xchg-with-memory
 *       read-modify-writes, rdtsc, rdtscp, syscall, and wrfsbase/wrgsbase where the profile says
 *       so) start when every older instruction has completed (and, for mfence and locked ops,
 *       every older store has committed), take their {@code system.*} cost (a locked op also the
 *       extra latency of a miss beyond L1), and hold the front end until they complete.
 *   <li><b>Retirement</b> is in order, at most {@code issueWidth} per cycle, at the earliest when
 *       the instruction has completed. {@link ExecutionRecord#retireCycles} is the difference
 *       from the previous retirement; {@link ExecutionRecord#servedBy} is the farthest level that
 *       served one of its accesses.
 * </ol>
 *
 * <p>Static facts about each instruction ({@link InstructionTiming}) are computed once and found
 * again through an array indexed by {@link Instruction#index}, checked by identity; an
 * instruction of another program with the same index is looked up in an identity map once and
 * then replaces the array entry. The per-instruction path allocates nothing.
 *
 * <p>Not modelled: which ALU pipe serves which operation class (every ALU pipe serves every
 * ALU instruction in one cycle, e.g. imul does not wait for its one multiplier pipe), macro-op
 * fusion of cmp/test with a jcc (both claim a pipe slot), the load queue size, memory disambiguation (a load never waits for an older store's
 * unknown address), TLBs, and instruction fetch (the front end never misses).
 *
 * <p><b>Caveats:</b> one instance per core; not thread-safe. Several cores' models share one
 * {@link MemorySystem}, which must be driven from one thread.
 */
public final class DataflowTimingModel implements TimingModel {
  private static final MemoryLevel[] LEVELS = MemoryLevel.values();
  private static final int FORWARDED = MemoryLevel.STORE_FORWARD.ordinal();
  private static final int L1 = MemoryLevel.L1.ordinal();

  private final CpuProfile profile;
  private final MemorySystem memory;
  private final int core;

  private final int issueWidth;
  private final int robEntries;
  private final int storePorts;
  private final int storeBufferEntries;
  private final int l1Latency;
  private final int storeForward;
  private final int segmentBasePenalty;
  private final int mispredictPenalty;
  private final int takenPerCycle;
  private final int takenBubble;
  /** {@code branch.callReturnCycles}: fewest cycles between two predicted calls or returns. */
  private final int callReturnCycles;
  /** Front-end cycle of the latest predicted call or return (for {@link #callReturnCycles}). */
  private long callReturnReady;

  // 16 GPRs, then InstructionTiming.NO_READ (always 0) and NO_WRITE (write-only scratch)
  private final long[] registerReady = new long[18];
  private long flagsReady;

  private long frontCycle;
  private int frontUsed;
  private int takenThisCycle;

  private final long[] robRetire;
  private int robPos;

  private long lastRetire;
  private int retiredThisCycle;
  private long maxComplete;

  private final PortSchedule loadPorts;
  /** The integer ALU pipes ({@code pipeline.aluPorts}). */
  private final PortSchedule aluPorts;
  private final PortSchedule storePortsSchedule;

  private final StoreBuffer storeBuffer;
  private final int[] pendingStores = new int[ExecutionRecord.MAX_ACCESSES];

  private final BranchPredictor predictor;

  private InstructionTiming[] byIndex = new InstructionTiming[1024];
  private final IdentityHashMap<Instruction, InstructionTiming> known = new IdentityHashMap<>();

  private long instructions;
  private long branches;
  private long mispredictions;
  private long forwardedLoads;

  /**
   * @param profile the CPU profile (must be the one {@code memory} was built with)
   * @param memory the machine's cache hierarchy, shared with the other cores' models
   * @param core this core's number in {@code memory}
   */
  public DataflowTimingModel(CpuProfile profile, MemorySystem memory, int core) {
    this.profile = Objects.requireNonNull(profile);
    this.memory = Objects.requireNonNull(memory);
    if (memory.profile() != profile) {
      throw new IllegalArgumentException("memory system built for profile "
          + memory.profile().name() + ", model for " + profile.name());
    }
    if (core < 0 || core >= memory.coreCount()) {
      throw new IllegalArgumentException("core " + core + " of " + memory.coreCount());
    }
    this.core = core;
    CpuProfile.Pipeline p = profile.pipeline();
    issueWidth = p.issueWidth();
    robEntries = p.robEntries();
    storePorts = p.storePorts();
    storeBufferEntries = p.storeBufferEntries();
    l1Latency = profile.memory().l1();
    storeForward = profile.memory().storeForward();
    segmentBasePenalty = profile.memory().segmentBasePenalty();
    mispredictPenalty = profile.branch().mispredictPenalty();
    callReturnCycles = profile.branch().callReturnCycles();
    takenPerCycle = profile.branch().takenPerCycle();
    takenBubble = profile.branch().takenBubble();
    robRetire = new long[robEntries];
    loadPorts = new PortSchedule(p.loadPorts());
    aluPorts = new PortSchedule(p.aluPorts());
    storePortsSchedule = new PortSchedule(p.storePorts());
    storeBuffer = new StoreBuffer(storeBufferEntries, storePorts);
    predictor = new BranchPredictor(profile.branch());
  }

  public CpuProfile profile() {
    return profile;
  }

  public MemorySystem memory() {
    return memory;
  }

  public int core() {
    return core;
  }

  /** The static timing of an instruction, computed once (also usable by reports). */
  public InstructionTiming timing(Instruction insn) {
    int i = insn.index;
    InstructionTiming[] table = byIndex;
    if (i >= 0 && i < table.length) {
      InstructionTiming t = table[i];
      if (t != null && t.insn == insn) {
        return t;
      }
    }
    return timingSlow(insn);
  }

  private InstructionTiming timingSlow(Instruction insn) {
    InstructionTiming t = known.get(insn);
    if (t == null) {
      t = InstructionTiming.of(insn, profile);
      known.put(insn, t);
    }
    int i = insn.index;
    if (i >= 0) {
      if (i >= byIndex.length) {
        byIndex = java.util.Arrays.copyOf(byIndex, Math.max(i + 1, byIndex.length * 2));
      }
      byIndex[i] = t;
    }
    return t;
  }

  @Override
  public void retire(ExecutionRecord r) {
    InstructionTiming t = timing(r.insn);
    instructions++;

    // ---- front end: issue slot, ROB and store-buffer space
    long f = frontCycle;
    int used = frontUsed;
    if (used >= issueWidth) {
      f++;
      used = 0;
      takenThisCycle = 0;
    }
    long robFree = robRetire[robPos];
    if (robFree > f) {
      f = robFree;
      used = 0;
      takenThisCycle = 0;
    }
    final int accesses = r.accessCount;
    final int asid = r.asid;
    boolean stores = false;
    if (accesses != 0) {
      final boolean[] write = r.write;
      for (int i = 0; i < accesses; i++) {
        stores |= write[i];
      }
    }
    long room;
    if (stores && (room = storeBuffer.roomCycle()) > f) {
      f = room;
      used = 0;
      takenThisCycle = 0;
    }
    used++;

    int deepest = 0;
    long complete;
    long done;
    int storesPushed = 0;

    if (t.kind == InstructionTiming.SERIALIZING) {
      done = complete = serialize(t, r, f);
      deepest = lastSerializedLevel;
      storesPushed = lastSerializedStores;
    } else {
      frontCycle = f;
      frontUsed = used;
      final long[] ready = registerReady;
      long data =
          Math.max(Math.max(f, ready[t.data0]), Math.max(ready[t.data1], ready[t.data2]));
      if (t.dataExtra != 0) {
        data = Math.max(data, readyOf(t.dataExtra));
      }
      if (t.readsFlags) {
        data = Math.max(data, flagsReady);
      }
      long loaded = f;
      long start; // the cycle the operation starts: inputs ready and, for ALU work, a pipe free
      if (accesses != 0 || r.prefetchAddress >= 0) {
        long addressReady = Math.max(Math.max(f, ready[t.address0]),
            Math.max(ready[t.address1], ready[t.address2]));
        if (t.addressExtra != 0) {
          addressReady = Math.max(addressReady, readyOf(t.addressExtra));
        }
        final boolean[] write = r.write;
        // loads
        for (int i = 0; i < accesses; i++) {
          if (!write[i]) {
            // A non-zero FS/GS base costs one more cycle of address generation (userspace.md
            // §5.1: "an extra cycle for address generation"), so it delays the load's issue, not
            // its data: a load whose address was ready early, or whose data comes from the store
            // buffer, does not pay it (calibrated in benchmarks/calibrate: gs_pop_push).
            long agu = r.nonZeroSegmentBase[i] ? addressReady + segmentBasePenalty : addressReady;
            long issue = loadPorts.claim(agu);
            long avail = load(r, i, asid, issue);
            deepest = Math.max(deepest, lastLoadLevel);
            loaded = Math.max(loaded, avail);
          }
        }
        if (r.prefetchAddress >= 0) {
          loadPorts.claim(addressReady);
          memory.prefetch(core, asid, r.prefetchAddress);
        }
        start = Math.max(data, loaded);
        if (t.usesAlu) {
          start = aluPorts.claim(start);
        }
        complete = start + t.latency;
        done = complete;
        // stores
        if (stores) {
          for (int i = 0; i < accesses; i++) {
            if (write[i]) {
              long issue = storePortsSchedule.claim(addressReady);
              int cost = memory.accessCost(core, asid, r.address[i], r.size[i], true);
              deepest = Math.max(deepest, MemorySystem.levelOf(cost));
              int missExtra = Math.max(0, MemorySystem.latencyOf(cost) - l1Latency);
              pendingStores[storesPushed++] =
                  storeBuffer.push(r.address[i], r.size[i], asid, complete, missExtra);
              done = Math.max(done, issue + 1);
            }
          }
        }
      } else {
        start = t.usesAlu ? aluPorts.claim(data) : data;
        complete = start + t.latency;
        done = complete;
      }
      writeResults(t, complete);
      if (t.kind != InstructionTiming.PLAIN) {
        steer(t, r, f, start);
      }
    }
    if (done > maxComplete) {
      maxComplete = done;
    }

    // ---- retirement
    long ret = Math.max(done, f);
    if (ret > lastRetire) {
      retiredThisCycle = 1;
    } else {
      ret = lastRetire;
      if (++retiredThisCycle > issueWidth) {
        ret++;
        retiredThisCycle = 1;
      }
    }
    r.retireCycles = ret - lastRetire;
    MemoryLevel servedBy = LEVELS[deepest];
    if (r.servedBy != servedBy) {
      r.servedBy = servedBy;
    }
    lastRetire = ret;
    robRetire[robPos] = ret;
    if (++robPos == robEntries) {
      robPos = 0;
    }
    // a store commits to L1 the cycle after it retires at the earliest; a locked op's store is
    // part of the op and has committed when the op completes
    long earliestCommit = t.kind == InstructionTiming.SERIALIZING ? ret : ret + 1;
    for (int k = 0; k < storesPushed; k++) {
      storeBuffer.commit(pendingStores[k], earliestCommit);
    }
  }

  private int lastSerializedLevel;
  private int lastSerializedStores;

  /** A serializing instruction issued at front-end cycle {@code f}: returns its completion. */
  private long serialize(InstructionTiming t, ExecutionRecord r, long f) {
    final int accesses = r.accessCount;
    final int asid = r.asid;
    int deepest = 0;
    int storesPushed = 0;
    long start = Math.max(f, maxComplete);
    if (t.drainsStores) {
      start = Math.max(start, storeBuffer.lastCommit());
    }
    int extra = 0;
    for (int i = 0; i < accesses; i++) {
      int cost = memory.accessCost(core, asid, r.address[i], r.size[i], r.write[i]);
      deepest = Math.max(deepest, MemorySystem.levelOf(cost));
      extra = Math.max(extra, MemorySystem.latencyOf(cost) - l1Latency);
    }
    long complete = start + t.cost + extra;
    for (int i = 0; i < accesses; i++) {
      if (r.write[i]) {
        pendingStores[storesPushed++] =
            storeBuffer.push(r.address[i], r.size[i], asid, complete, 0);
      }
    }
    writeResults(t, complete);
    frontCycle = complete;
    frontUsed = 0;
    takenThisCycle = 0;
    lastSerializedLevel = deepest;
    lastSerializedStores = storesPushed;
    return complete;
  }

  private int lastLoadLevel;

  /** Data-ready cycle of load {@code i} issued at {@code issue}; sets {@link #lastLoadLevel}. */
  private long load(ExecutionRecord r, int i, int asid, long issue) {
    long address = r.address[i];
    int size = r.size[i];
    StoreBuffer sb = storeBuffer;
    int idx = sb.forwardingStore(address, size, asid, issue);
    if (idx < 0) {
      int cost = memory.accessCost(core, asid, address, size, false);
      lastLoadLevel = MemorySystem.levelOf(cost);
      return issue + MemorySystem.latencyOf(cost);
    }
    long failed = Math.max(issue, sb.dataReady(idx)) + storeForward;
    if (sb.covers(idx, address, size)) {
      forwardedLoads++;
      lastLoadLevel = FORWARDED;
      return failed;
    }
    // partial overlap: forwarding is attempted and fails, the load is replayed from L1 once the
    // store has committed
    memory.accessCost(core, asid, address, size, false);
    lastLoadLevel = L1;
    return Math.max(failed, sb.commitCycle(idx)) + l1Latency;
  }

  private long readyOf(int mask) {
    long r = 0;
    for (int m = mask; m != 0; m &= m - 1) {
      r = Math.max(r, registerReady[Integer.numberOfTrailingZeros(m)]);
    }
    return r;
  }

  private void writeResults(InstructionTiming t, long complete) {
    final long[] ready = registerReady;
    ready[t.write0] = complete;
    ready[t.write1] = complete;
    ready[t.write2] = complete;
    for (int m = t.writeExtra; m != 0; m &= m - 1) {
      ready[Integer.numberOfTrailingZeros(m)] = complete;
    }
    if (t.writesFlags) {
      flagsReady = complete;
    }
  }

  /** Branch prediction and pause: moves the front end for the next instruction. */
  private void steer(InstructionTiming t, ExecutionRecord r, long f, long inputsReady) {
    long pc = r.insn.address;
    boolean mispredicted;
    boolean taken = true;
    switch (t.kind) {
      case InstructionTiming.BRANCH_CONDITIONAL:
        taken = r.branchTaken;
        mispredicted = predictor.conditional(pc, taken);
        break;
      case InstructionTiming.JUMP_DIRECT:
        mispredicted = false;
        break;
      case InstructionTiming.CALL_DIRECT:
        predictor.pushReturn(r.insn.nextAddress());
        mispredicted = false;
        break;
      case InstructionTiming.JUMP_INDIRECT:
        mispredicted = predictor.indirect(pc, r.nextRip);
        break;
      case InstructionTiming.CALL_INDIRECT:
        mispredicted = predictor.indirect(pc, r.nextRip);
        predictor.pushReturn(r.insn.nextAddress());
        break;
      case InstructionTiming.RETURN:
        mispredicted = predictor.ret(r.nextRip);
        break;
      case InstructionTiming.PAUSE:
        frontCycle = f + t.cost;
        frontUsed = 0;
        takenThisCycle = 0;
        return;
      default:
        throw new IllegalStateException("kind " + t.kind);
    }
    branches++;
    if (!mispredicted && callReturnCycles > 0 && isCallOrReturn(t.kind)) {
      // The front end follows predicted calls and returns at most one per callReturnCycles
      // (calibrated: branch.callReturnCycles in the profile); a call or return soon after the
      // previous one waits for that slot and holds the younger instructions with it.
      long slot = Math.max(callReturnReady + callReturnCycles, f);
      callReturnReady = slot;
      if (slot > frontCycle) {
        frontCycle = slot;
        frontUsed = 0;
        takenThisCycle = 0;
      }
    }
    if (mispredicted) {
      mispredictions++;
      long resolve = Math.max(inputsReady, f) + 1;
      frontCycle = Math.max(frontCycle, resolve + mispredictPenalty);
      frontUsed = 0;
      takenThisCycle = 0;
    } else if (taken && ++takenThisCycle >= takenPerCycle) {
      frontCycle = f + 1 + takenBubble;
      frontUsed = 0;
      takenThisCycle = 0;
    }
  }

  private static boolean isCallOrReturn(int kind) {
    return kind == InstructionTiming.CALL_DIRECT
        || kind == InstructionTiming.CALL_INDIRECT
        || kind == InstructionTiming.RETURN;
  }

  @Override
  public void chargeSerializing(long cycles) {
    if (cycles < 0) {
      throw new IllegalArgumentException("negative charge " + cycles);
    }
    long start = Math.max(Math.max(lastRetire, maxComplete),
        Math.max(storeBuffer.lastCommit(), frontCycle));
    long end = start + cycles;
    lastRetire = end;
    retiredThisCycle = 0;
    maxComplete = end;
    frontCycle = end;
    frontUsed = 0;
    takenThisCycle = 0;
  }

  @Override
  public long cycle() {
    return lastRetire;
  }

  /** Instructions retired. */
  public long instructions() {
    return instructions;
  }

  /** Branches (conditional, direct, indirect, calls, returns) retired. */
  public long branches() {
    return branches;
  }

  /** Branches whose direction or target was mispredicted. */
  public long mispredictions() {
    return mispredictions;
  }

  /** Loads served by store-to-load forwarding. */
  public long forwardedLoads() {
    return forwardedLoads;
  }
}
