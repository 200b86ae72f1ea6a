package org.vcpusim.cpu.exec;

import java.util.Arrays;
import java.util.Objects;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.isa.Segment;
import org.vcpusim.cpu.mem.AccessKind;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.cpu.mem.MemoryFault;

/**
 * One simulated CPU core executing one attached thread, one pre-decoded instruction at a time,
 * with the architectural semantics of the Intel SDM vol. 2 for each instruction of the subset (see
 * {@link org.vcpusim.cpu.isa.Opcode}); flag rules are in {@link FlagLogic}.
 *
 * <p><b>Use.</b> The kernel layer {@link #attach}es a {@link ThreadContext}, its {@link
 * AddressSpace} and the process's {@link DecodedProgram}, then calls {@link #step()}, {@link
 * #run(long)} or {@link #runUntilCycle(long)}. Every non-{@link CoreStatus#RETIRED} status stops a
 * run loop: {@link CoreStatus#SYSCALL} (RIP past the {@code syscall}, RCX = next RIP, R11 =
 * RFLAGS), {@link CoreStatus#FAULT} (RIP at the faulting instruction, which had no architectural
 * effect; {@link #trap()} says why), {@link CoreStatus#NO_INSTRUCTION} (RIP in executable memory
 * but not at an instruction start). Between steps the kernel may read and write the context,
 * redirect RIP ({@link #redirect}), change memory and its permissions, or attach another thread.
 *
 * <p><b>Each retired instruction</b> fills the core's {@link ExecutionRecord} (linear addresses of
 * its accesses with the FS/GS base added, the prefetch address, whether a branch was taken, the
 * next RIP), passes it to the {@link TimingModel}, then to the {@link CoreObserver} if one is set.
 *
 * <p><b>Faults.</b> Unmapped or protected memory: #PF with the address and access; non-canonical
 * address (data, or an indirect branch/return target, or a {@code wrfsbase}/{@code wrgsbase}
 * value): #GP; {@code ud1}, {@code ud2}, a misplaced {@code lock}, or {@code rd/wr{fs,gs}base},
 * {@code rdpid}, {@code rdtscp} without the {@link CpuFeature}: #UD; {@code div}/{@code idiv} by
 * zero or with a quotient too large: #DE. An instruction fetch from a non-executable or unmapped
 * page: #PF on execute.
 *
 * <p><b>Semantic choices where the SDM leaves a result undefined</b> (all documented in {@link
 * FlagLogic}): shift OF for counts above 1 and CF for counts at or above the width follow the
 * bit-serial pseudocode and Intel hardware; IMUL/MUL SF, ZF, PF come from the truncated result;
 * DIV/IDIV and the bit tests leave the undefined flags unchanged; AF is not modelled. A 32-bit
 * {@code cmov} zeroes bits 63..32 of its destination even when the condition is false; a 32-bit
 * {@code cmpxchg} writes RAX (zero-extended) only on failure and the destination only on success.
 * A memory {@code cmov} always reads (and may fault), a memory {@code cmpxchg} always writes.
 * {@code lea} never adds a segment base. Prefetches record their linear address and never fault.
 *
 * <p><b>Speed.</b> No allocation per instruction: the decoded form is flat ({@link Uop}), flags are
 * lazy, memory goes through the address space's software TLB, and "this instruction's page is
 * executable" is cached per instruction until the address space's mappings change.
 *
 * <p><b>Caveats:</b> not thread-safe; a core and everything attached to it belong to one
 * simulation thread. Instructions are the pre-decoded ones of the attached program: writes into a
 * text page change memory but not what executes. Inside a run loop the context's RIP is written
 * back when the loop returns and before each observer callback, not for the timing model (which
 * reads {@link ExecutionRecord#nextRip} instead); registers, flags and bases are always current.
 */
public final class Core {
  private static final int RAX = Registers.RAX;
  private static final int RCX = Registers.RCX;
  private static final int RDX = Registers.RDX;
  private static final int RSP = Registers.RSP;
  private static final int R11 = Registers.R11;

  // Outcomes of executing one instruction.
  /** Retired; execution continues at the next instruction. */
  private static final int NEXT = 0;
  /** Retired; the handler set RIP and {@link #pc}. */
  private static final int JUMPED = 1;
  /** A syscall retired; execution continues at the next instruction after the kernel. */
  private static final int SYSCALL_EXIT = 2;
  /** The instruction faulted and had no effect; {@link #trap} is set. */
  private static final int FAULTED = 3;

  private final int id;
  private final CpuFeatures features;
  private final boolean hasFsGsBase;
  private final boolean hasRdpid;
  private final boolean hasRdtscp;
  private final TimingModel timing;
  private final ExecutionRecord record = new ExecutionRecord();
  private final Trap trap = new Trap();
  private CoreObserver observer;
  private long tscAux;
  private long retiredInstructions;
  private boolean stopRequested;

  private ThreadContext ctx;
  private long[] r;
  private long[] segBase;
  private AddressSpace space;
  private DecodedProgram decoded;
  private AssembledProgram lastAssembled;
  private Uop[] uops = new Uop[0];
  /** Per instruction: the address-space version at which its bytes were found executable. */
  private int[] execStamp = new int[0];
  /** Index of the instruction expected at RIP, or -1; between runs, and after a taken branch. */
  private int pc = -1;
  /** RIP after a taken branch, handed from the branch handler to the loop. */
  private long jumpTarget;

  /**
   * A core with nothing attached.
   *
   * @param id the core (CPU) number
   * @param features the optional instructions this core's profile has
   * @param timing the cost model charged for every retired instruction ({@link TimingModel#NONE}
   *     for functional execution only)
   */
  public Core(int id, CpuFeatures features, TimingModel timing) {
    this.id = id;
    this.features = Objects.requireNonNull(features);
    this.hasFsGsBase = features.has(CpuFeature.FSGSBASE);
    this.hasRdpid = features.has(CpuFeature.RDPID);
    this.hasRdtscp = features.has(CpuFeature.RDTSCP);
    this.timing = Objects.requireNonNull(timing);
  }

  // ================================================================== configuration and state

  public int id() {
    return id;
  }

  public CpuFeatures features() {
    return features;
  }

  public TimingModel timing() {
    return timing;
  }

  /** The record of the most recent instruction (valid after a RETIRED or SYSCALL status). */
  public ExecutionRecord record() {
    return record;
  }

  /** The most recent exception (valid after a FAULT or NO_INSTRUCTION status). */
  public Trap trap() {
    return trap;
  }

  /** Installs the observer, or removes it with null. */
  public void setObserver(CoreObserver observer) {
    this.observer = observer;
  }

  public CoreObserver observer() {
    return observer;
  }

  /**
   * The IA32_TSC_AUX value that {@code rdpid} and {@code rdtscp} return (Linux stores {@code node
   * << 12 | cpu} there); only the low 32 bits are visible.
   */
  public void setTscAux(long value) {
    tscAux = value & 0xFFFFFFFFL;
  }

  public long tscAux() {
    return tscAux;
  }

  /** Instructions retired on this core since it was built (syscalls included). */
  public long retiredInstructions() {
    return retiredInstructions;
  }

  /**
   * Runs {@code context} in {@code addressSpace}, executing the instructions of {@code program}.
   * Execution starts at the context's RIP.
   */
  public void attach(ThreadContext context, AddressSpace addressSpace, DecodedProgram program) {
    Objects.requireNonNull(context);
    Objects.requireNonNull(addressSpace);
    Objects.requireNonNull(program);
    if (program != decoded) {
      decoded = program;
      lastAssembled = program.program();
      uops = program.uops;
      execStamp = new int[uops.length];
      Arrays.fill(execStamp, -1);
    } else if (addressSpace != space) {
      Arrays.fill(execStamp, -1);
    }
    ctx = context;
    r = context.r;
    segBase = context.segBase;
    space = addressSpace;
    pc = -1;
    addressSpace.clearFault();
  }

  /**
   * Like {@link #attach(ThreadContext, AddressSpace, DecodedProgram)}, decoding {@code program}
   * unless it is the one already attached. Prefer sharing one {@link DecodedProgram} per process.
   */
  public void attach(ThreadContext context, AddressSpace addressSpace, AssembledProgram program) {
    DecodedProgram d = program == lastAssembled ? decoded : new DecodedProgram(program);
    attach(context, addressSpace, d);
  }

  /** Detaches the current thread (the core idles until the next attach). */
  public void detach() {
    ctx = null;
    r = null;
    segBase = null;
    space = null;
    pc = -1;
  }

  public boolean isAttached() {
    return ctx != null;
  }

  /** The attached thread's registers, or null. */
  public ThreadContext context() {
    return ctx;
  }

  /** The attached address space, or null. */
  public AddressSpace addressSpace() {
    return space;
  }

  /** The attached program, or null. */
  public DecodedProgram program() {
    return decoded;
  }

  /** Sets the attached thread's RIP: the next step executes the instruction there. */
  public void redirect(long rip) {
    ctx.rip = rip;
  }

  /**
   * Makes the current {@link #run} or {@link #runUntilCycle} return {@link CoreStatus#STOPPED}
   * after the instruction in progress (callable from an observer). A later run clears it.
   */
  public void requestStop() {
    stopRequested = true;
  }

  // ================================================================== run loops

  /**
   * Executes at most {@code maxInstructions} instructions.
   *
   * @return the first status other than RETIRED, or RETIRED when the budget ran out
   */
  public CoreStatus run(long maxInstructions) {
    stopRequested = false;
    return loop(maxInstructions, Long.MAX_VALUE);
  }

  /**
   * Executes until the timing model's clock reaches {@code cycle}.
   *
   * <p><b>Caveats:</b> with a model whose clock does not advance ({@link TimingModel#NONE}) this
   * only returns on a non-RETIRED status; use {@link #runUntilCycle(long, long)} to bound it.
   *
   * @return the first status other than RETIRED, or RETIRED once {@code timing().cycle() >= cycle}
   */
  public CoreStatus runUntilCycle(long cycle) {
    return runUntilCycle(cycle, Long.MAX_VALUE);
  }

  /** Like {@link #runUntilCycle(long)}, also stopping (RETIRED) after {@code maxInstructions}. */
  public CoreStatus runUntilCycle(long cycle, long maxInstructions) {
    stopRequested = false;
    return loop(maxInstructions, cycle);
  }

  /**
   * Executes exactly one instruction, the one at the attached context's RIP.
   *
   * @throws IllegalStateException when no thread is attached
   */
  public CoreStatus step() {
    return loop(1, Long.MAX_VALUE);
  }

  /**
   * The interpreter loop. The index of the next instruction is kept in a local and advanced by one
   * for fall-through, so that consecutive iterations do not wait on a chain of dependent loads; it
   * is checked against RIP on every fetch, which also catches kernel or observer redirects.
   *
   * <p><b>Caveats:</b> the attached thread, address space and program are read once per call: an
   * observer must not {@link #attach} or {@link #detach} during a run (it may {@link #redirect}).
   */
  private CoreStatus loop(long maxInstructions, long untilCycle) {
    final ThreadContext c = ctx;
    if (c == null) {
      throw new IllegalStateException("core " + id + " has no thread attached");
    }
    final Uop[] code = uops;
    final int[] stamps = execStamp;
    final AddressSpace s = space;
    final ExecutionRecord rec = record;
    final TimingModel t = timing;
    final boolean timed = untilCycle != Long.MAX_VALUE;
    rec.asid = s.id();
    int version = s.version();
    long rip = c.rip;
    int i = pc;
    long retiredHere = 0; // not yet added to retiredInstructions
    long remaining = maxInstructions;
    CoreStatus status = CoreStatus.RETIRED;
    while (remaining > 0) {
      if (timed && t.cycle() >= untilCycle) {
        break;
      }
      Uop u;
      if (i < 0 || i >= code.length || (u = code[i]).address != rip) {
        i = decoded.indexOf(rip);
        if (i < 0) {
          status = noInstruction(rip);
          break;
        }
        u = code[i];
      }
      if (stamps[i] != version) {
        if (!s.fetchable(rip, u.length)) {
          status = fetchFault(rip);
          break;
        }
        stamps[i] = version;
      }
      begin(rec, u);
      int outcome = execute(u);
      if (outcome == JUMPED) {
        rip = jumpTarget;
        i = pc;
      } else if (outcome == FAULTED) {
        status = CoreStatus.FAULT;
        break;
      } else {
        rip = u.nextRip;
        rec.nextRip = rip;
        i++;
      }
      remaining--;
      retiredHere++;
      t.retire(rec);
      CoreObserver o = observer;
      if (o != null) {
        // Make the architectural state current for the observer, then pick up what it changed.
        c.rip = rip;
        retiredInstructions += retiredHere;
        retiredHere = 0;
        notifyObserver(o, rec);
        rip = c.rip;
        version = s.version();
        if (stopRequested && outcome != SYSCALL_EXIT && remaining > 0) {
          status = CoreStatus.STOPPED;
          break;
        }
      }
      if (outcome == SYSCALL_EXIT) {
        status = CoreStatus.SYSCALL;
        break;
      }
    }
    retiredInstructions += retiredHere;
    c.rip = rip;
    pc = i;
    return status;
  }

  /**
   * Resets the record for {@code u}, as {@link ExecutionRecord#begin} does, writing only the
   * fields that changed (the ASID is set once per run).
   */
  private static void begin(ExecutionRecord rec, Uop u) {
    rec.insn = u.insn;
    rec.accessCount = 0;
    if (rec.prefetchAddress != -1) {
      rec.prefetchAddress = -1;
    }
    if (rec.branchTaken) {
      rec.branchTaken = false;
    }
    if (rec.retireCycles != 0) {
      rec.retireCycles = 0;
    }
    if (rec.servedBy != MemoryLevel.NONE) {
      rec.servedBy = MemoryLevel.NONE;
    }
  }

  private void notifyObserver(CoreObserver o, ExecutionRecord rec) {
    long rip = rec.insn.address;
    for (int k = 0; k < rec.accessCount; k++) {
      o.onMemoryAccess(this, rec.address[k], rec.size[k], rec.write[k], rec.segment[k], rip);
    }
    o.onRetire(this, rec);
  }

  // ================================================================== dispatch

  /** Executes {@code u}: returns NEXT, JUMPED (RIP and pc set), SYSCALL_EXIT or FAULTED. */
  private int execute(Uop u) {
    switch (u.kind) {
      case Uop.MOV_RR:
        writeDst(u, readSrc(u));
        return NEXT;
      case Uop.MOV_IR:
        writeDst(u, u.imm);
        return NEXT;
      case Uop.MOV_MR:
        return movLoad(u);
      case Uop.MOV_RM:
        return movStore(u, readSrc(u));
      case Uop.MOV_IM:
        return movStore(u, u.imm);
      case Uop.MOVZX_R:
        writeDst(u, readSrc(u));
        return NEXT;
      case Uop.MOVZX_M:
        return movLoad(u);
      case Uop.MOVSX_R:
        writeDst(u, FlagLogic.signExtend(readSrc(u), u.srcSizeLog));
        return NEXT;
      case Uop.MOVSX_M:
        return movsxLoad(u);
      case Uop.LEA:
        writeDst(u, u.disp + r[u.base] + (r[u.index] << u.scaleShift));
        return NEXT;
      case Uop.XCHG_RR:
        return xchgRegisters(u);
      case Uop.XCHG_RM:
        return xchgMemory(u);
      case Uop.PUSH_R:
        return push(u, readSrc(u));
      case Uop.PUSH_I:
        return push(u, u.imm);
      case Uop.PUSH_M:
        return pushMemory(u);
      case Uop.POP_R:
        return popRegister(u);
      case Uop.POP_M:
        return popMemory(u);
      case Uop.CMOV_R:
        return cmov(u, readSrc(u));
      case Uop.CMOV_M:
        return cmovMemory(u);
      case Uop.CLTQ:
        r[RAX] = (int) r[RAX];
        return NEXT;
      case Uop.CWTL:
        r[RAX] = (short) r[RAX] & 0xFFFFFFFFL;
        return NEXT;
      case Uop.CLTD:
        r[RDX] = ((int) r[RAX] >> 31) & 0xFFFFFFFFL;
        return NEXT;
      case Uop.CQTO:
        r[RDX] = r[RAX] >> 63;
        return NEXT;
      case Uop.ALU_RR:
        return aluRegister(u, readSrc(u));
      case Uop.ALU_IR:
        return aluRegister(u, u.imm);
      case Uop.ALU_MR:
        return aluLoad(u);
      case Uop.ALU_RM:
        return aluMemory(u, readSrc(u));
      case Uop.ALU_IM:
        return aluMemory(u, u.imm);
      case Uop.UNARY_R:
        writeDst(u, unary(u, readDst(u)));
        return NEXT;
      case Uop.UNARY_M:
        return unaryMemory(u);
      case Uop.SHIFT_R:
        writeDst(u, shift(u, readDst(u), shiftCount(u)));
        return NEXT;
      case Uop.SHIFT_M:
        return shiftMemory(u);
      case Uop.IMUL2:
        return imul(u, true);
      case Uop.IMUL3:
        return imul(u, false);
      case Uop.MULDIV:
        return mulDiv(u);
      case Uop.BT_R:
        return bitTestRegister(u);
      case Uop.BT_M:
        return bitTestMemory(u);
      case Uop.JMP:
        return jump(u.target, u.targetIndex);
      case Uop.JMP_R:
        return jumpIndirect(u, r[u.srcReg]);
      case Uop.JMP_M:
        return jumpMemory(u);
      case Uop.JCC:
        return condition(u) ? jump(u.target, u.targetIndex) : NEXT;
      case Uop.SETCC_R:
        writeDst(u, condition(u) ? 1 : 0);
        return NEXT;
      case Uop.SETCC_M:
        return movStore(u, condition(u) ? 1 : 0);
      case Uop.CALL:
        return call(u, u.target, u.targetIndex);
      case Uop.CALL_R:
        return callIndirect(u, r[u.srcReg]);
      case Uop.CALL_M:
        return callMemory(u);
      case Uop.RET:
        return ret(u);
      case Uop.CMPXCHG_R:
        return cmpxchgRegister(u);
      case Uop.CMPXCHG_M:
        return cmpxchgMemory(u);
      case Uop.XADD_R:
        return xaddRegister(u);
      case Uop.XADD_M:
        return xaddMemory(u);
      case Uop.NOP:
        return NEXT;
      case Uop.PREFETCH:
        record.prefetchAddress = linear(u);
        return NEXT;
      case Uop.RDFSBASE:
      case Uop.RDGSBASE:
        return readBase(u, u.kind == Uop.RDFSBASE ? ThreadContext.SEG_FS : ThreadContext.SEG_GS);
      case Uop.WRFSBASE:
      case Uop.WRGSBASE:
        return writeBase(u, u.kind == Uop.WRFSBASE ? ThreadContext.SEG_FS : ThreadContext.SEG_GS);
      case Uop.RDPID:
        if (!hasRdpid) {
          return exception(u, Trap.Kind.INVALID_OPCODE);
        }
        writeDst(u, tscAux);
        return NEXT;
      case Uop.RDTSC:
        return rdtsc(u, false);
      case Uop.RDTSCP:
        if (!hasRdtscp) {
          return exception(u, Trap.Kind.INVALID_OPCODE);
        }
        return rdtsc(u, true);
      case Uop.SYSCALL:
        r[RCX] = u.nextRip;
        r[R11] = ctx.rflags();
        return SYSCALL_EXIT;
      case Uop.UD:
        return exception(u, Trap.Kind.INVALID_OPCODE);
      default:
        throw new IllegalStateException("no handler for " + u.insn);
    }
  }

  // ================================================================== helpers

    /** A taken branch: sets RIP and the index of the instruction there (-1 when unknown). */
  private int jump(long target, int index) {
    jumpTarget = target;
    pc = index;
    ExecutionRecord rec = record;
    rec.nextRip = target;
    rec.branchTaken = true;
    return JUMPED;
  }

  private long readSrc(Uop u) {
    return (r[u.srcReg] >>> u.srcShift) & u.srcMask;
  }

  private long readDst(Uop u) {
    return (r[u.dstReg] >>> u.dstShift) & u.dstMask;
  }

  private void writeDst(Uop u, long value) {
    writeRegister(u.dstReg, u.dstShift, u.dstMask, value);
  }

  private void writeSrc(Uop u, long value) {
    writeRegister(u.srcReg, u.srcShift, u.srcMask, value);
  }

  /** A register-view write: 4- and 8-byte views replace (zero-extend), 1- and 2-byte views merge. */
  private void writeRegister(int reg, int shift, long mask, long value) {
    long[] regs = r;
    if ((mask >>> 31) != 0) {
      regs[reg] = value & mask;
    } else {
      long m = mask << shift;
      regs[reg] = (regs[reg] & ~m) | ((value << shift) & m);
    }
  }

  /** Linear address of the memory operand: base + index * scale + disp + segment base. */
  private long linear(Uop u) {
    long[] regs = r;
    return u.disp + regs[u.base] + (regs[u.index] << u.scaleShift) + segBase[u.seg];
  }

  private long load(Uop u, long address, int size) {
    record.addAccess(address, size, false, u.segment, segBase[u.seg] != 0);
    return space.load(address, size);
  }

  private long loadForUpdate(Uop u, long address, int size) {
    record.addAccess(address, size, false, u.segment, segBase[u.seg] != 0);
    return space.loadForUpdate(address, size);
  }

  private boolean store(Uop u, long address, int size, long value) {
    record.addAccess(address, size, true, u.segment, segBase[u.seg] != 0);
    return space.store(address, size, value);
  }

  private long loadStack(long address, int size) {
    record.addAccess(address, size, false, Segment.NONE, false);
    return space.load(address, size);
  }

  private boolean storeStack(long address, int size, long value) {
    record.addAccess(address, size, true, Segment.NONE, false);
    return space.store(address, size, value);
  }

  private boolean condition(Uop u) {
    ThreadContext c = ctx;
    int cond = u.cond;
    int op = c.ccOp;
    if ((cond & ~1) == FlagLogic.CC_E && (op >>> 2) != FlagLogic.MATERIALIZED) {
      // je/jne after anything but a materialized state: ZF is "the result is zero".
      return (c.ccRes == 0) != ((cond & 1) != 0);
    }
    return FlagLogic.test(cond, op, c.ccA, c.ccB, c.ccRes);
  }

  private boolean carry() {
    ThreadContext c = ctx;
    return FlagLogic.cf(c.ccOp, c.ccA, c.ccB, c.ccRes);
  }

  private void setFlags(int kind, int sizeLog, long a, long b, long res) {
    ThreadContext c = ctx;
    c.ccOp = kind << 2 | sizeLog;
    c.ccA = a;
    c.ccB = b;
    c.ccRes = res;
  }

  /** Sets CF and OF (for rotates and bit tests), keeping the other flags as they are. */
  private void setCarryAndOverflow(boolean cf, boolean of, boolean changeOf) {
    ThreadContext c = ctx;
    long bits = FlagLogic.materialize(c.ccOp, c.ccA, c.ccB, c.ccRes);
    bits = cf ? bits | Rflags.CF : bits & ~Rflags.CF;
    if (changeOf) {
      bits = of ? bits | Rflags.OF : bits & ~Rflags.OF;
    }
    c.ccOp = FlagLogic.MATERIALIZED;
    c.ccRes = bits;
  }

  private static boolean isCanonical(long address) {
    return (address << 16 >> 16) == address;
  }

  // ================================================================== traps

  private int memoryFault(Uop u) {
    AddressSpace s = space;
    MemoryFault f = s.fault();
    Trap.Kind kind =
        f == MemoryFault.NON_CANONICAL ? Trap.Kind.GENERAL_PROTECTION : Trap.Kind.PAGE_FAULT;
    trap.set(kind, u.address, s.faultAddress(), s.faultAccess(), f);
    s.clearFault();
    return FAULTED;
  }

  private int exception(Uop u, Trap.Kind kind) {
    trap.set(kind, u.address, u.address, null, null);
    return FAULTED;
  }

  private CoreStatus fetchFault(long rip) {
    AddressSpace s = space;
    MemoryFault f = s.fault();
    Trap.Kind kind =
        f == MemoryFault.NON_CANONICAL ? Trap.Kind.GENERAL_PROTECTION : Trap.Kind.PAGE_FAULT;
    trap.set(kind, rip, s.faultAddress(), AccessKind.EXECUTE, f);
    s.clearFault();
    return CoreStatus.FAULT;
  }

  private CoreStatus noInstruction(long rip) {
    if (!space.fetchable(rip, 1)) {
      return fetchFault(rip);
    }
    trap.set(Trap.Kind.INVALID_OPCODE, rip, rip, AccessKind.EXECUTE, null);
    return CoreStatus.NO_INSTRUCTION;
  }

  // ================================================================== data movement

  private int movLoad(Uop u) {
    long v = load(u, linear(u), u.memSize);
    if (space.hasFault()) {
      return memoryFault(u);
    }
    writeDst(u, v);
    return NEXT;
  }

  private int movsxLoad(Uop u) {
    long v = load(u, linear(u), u.memSize);
    if (space.hasFault()) {
      return memoryFault(u);
    }
    writeDst(u, FlagLogic.signExtend(v, u.srcSizeLog));
    return NEXT;
  }

  private int movStore(Uop u, long value) {
    if (!store(u, linear(u), u.memSize, value)) {
      return memoryFault(u);
    }
    return NEXT;
  }

  private int xchgRegisters(Uop u) {
    long a = readSrc(u);
    long b = readDst(u);
    writeSrc(u, b);
    writeDst(u, a);
    return NEXT;
  }

  private int xchgMemory(Uop u) {
    long address = linear(u);
    long old = loadForUpdate(u, address, u.size);
    if (space.hasFault()) {
      return memoryFault(u);
    }
    if (!store(u, address, u.size, readSrc(u))) {
      return memoryFault(u);
    }
    writeSrc(u, old);
    return NEXT;
  }

  private int push(Uop u, long value) {
    long rsp = r[RSP] - u.size;
    if (!storeStack(rsp, u.size, value)) {
      return memoryFault(u);
    }
    r[RSP] = rsp;
    return NEXT;
  }

  private int pushMemory(Uop u) {
    long v = load(u, linear(u), u.size);
    if (space.hasFault()) {
      return memoryFault(u);
    }
    return push(u, v);
  }

  private int popRegister(Uop u) {
    long rsp = r[RSP];
    long v = loadStack(rsp, u.size);
    if (space.hasFault()) {
      return memoryFault(u);
    }
    r[RSP] = rsp + u.size;
    writeDst(u, v); // "pop %rsp" leaves the popped value
    return NEXT;
  }

  private int popMemory(Uop u) {
    long rsp = r[RSP];
    long v = loadStack(rsp, u.size);
    if (space.hasFault()) {
      return memoryFault(u);
    }
    // An RSP-based destination is computed after the increment (SDM vol. 2B, POP).
    long address = linear(u) + (u.base == RSP ? u.size : 0);
    if (!store(u, address, u.size, v)) {
      return memoryFault(u);
    }
    r[RSP] = rsp + u.size;
    return NEXT;
  }

  private int cmov(Uop u, long value) {
    if (condition(u)) {
      writeDst(u, value);
    } else if (u.size == 4) {
      r[u.dstReg] &= 0xFFFFFFFFL;
    }
    return NEXT;
  }

  private int cmovMemory(Uop u) {
    long v = load(u, linear(u), u.memSize);
    if (space.hasFault()) {
      return memoryFault(u);
    }
    return cmov(u, v);
  }

  // ================================================================== arithmetic and logic

  /** A two-operand ALU operation on zero-extended inputs; sets the lazy flags. */
  private long alu(int op, int sizeLog, long mask, long a, long b) {
    long res;
    int kind;
    switch (op) {
      case Uop.OP_ADD:
        res = (a + b) & mask;
        kind = FlagLogic.ADD;
        break;
      case Uop.OP_ADC:
        res = (a + b + (carry() ? 1 : 0)) & mask;
        kind = FlagLogic.ADC;
        break;
      case Uop.OP_SUB:
      case Uop.OP_CMP:
        res = (a - b) & mask;
        kind = FlagLogic.SUB;
        break;
      case Uop.OP_SBB:
        res = (a - b - (carry() ? 1 : 0)) & mask;
        kind = FlagLogic.SBB;
        break;
      case Uop.OP_AND:
      case Uop.OP_TEST:
        res = a & b;
        kind = FlagLogic.LOGIC;
        break;
      case Uop.OP_OR:
        res = a | b;
        kind = FlagLogic.LOGIC;
        break;
      case Uop.OP_XOR:
        res = a ^ b;
        kind = FlagLogic.LOGIC;
        break;
      default:
        throw new IllegalStateException("ALU operation " + op);
    }
    setFlags(kind, sizeLog, a, b, res);
    return res;
  }

  private int aluRegister(Uop u, long b) {
    long res = alu(u.op, u.sizeLog, u.mask, readDst(u), b);
    if (u.writes) {
      writeDst(u, res);
    }
    return NEXT;
  }

  private int aluLoad(Uop u) {
    long b = load(u, linear(u), u.size);
    if (space.hasFault()) {
      return memoryFault(u);
    }
    return aluRegister(u, b);
  }

  private int aluMemory(Uop u, long b) {
    long address = linear(u);
    boolean writes = u.writes;
    long a = writes ? loadForUpdate(u, address, u.size) : load(u, address, u.size);
    if (space.hasFault()) {
      return memoryFault(u);
    }
    ThreadContext c = ctx;
    int op = c.ccOp;
    long fa = c.ccA;
    long fb = c.ccB;
    long fr = c.ccRes;
    long res = alu(u.op, u.sizeLog, u.mask, a, b);
    if (writes && !store(u, address, u.size, res)) {
      // Unreachable after a successful loadForUpdate of the same bytes; kept so that a fault can
      // never leave modified flags behind.
      c.ccOp = op;
      c.ccA = fa;
      c.ccB = fb;
      c.ccRes = fr;
      return memoryFault(u);
    }
    return NEXT;
  }

  private long unary(Uop u, long a) {
    long mask = u.mask;
    switch (u.op) {
      case Uop.OP_INC: {
        long res = (a + 1) & mask;
        setFlags(FlagLogic.INC, u.sizeLog, a, carry() ? 1 : 0, res);
        return res;
      }
      case Uop.OP_DEC: {
        long res = (a - 1) & mask;
        setFlags(FlagLogic.DEC, u.sizeLog, a, carry() ? 1 : 0, res);
        return res;
      }
      case Uop.OP_NEG: {
        long res = -a & mask;
        setFlags(FlagLogic.SUB, u.sizeLog, 0, a, res);
        return res;
      }
      default:
        return ~a & mask;
    }
  }

  private int unaryMemory(Uop u) {
    long address = linear(u);
    long a = loadForUpdate(u, address, u.size);
    if (space.hasFault()) {
      return memoryFault(u);
    }
    // The store cannot fail after loadForUpdate; compute flags only once it is done.
    long res = peekUnary(u, a);
    if (!store(u, address, u.size, res)) {
      return memoryFault(u);
    }
    unary(u, a);
    return NEXT;
  }

  /** The result of {@link #unary} without touching the flags. */
  private static long peekUnary(Uop u, long a) {
    switch (u.op) {
      case Uop.OP_INC:
        return (a + 1) & u.mask;
      case Uop.OP_DEC:
        return (a - 1) & u.mask;
      case Uop.OP_NEG:
        return -a & u.mask;
      default:
        return ~a & u.mask;
    }
  }

  private int shiftCount(Uop u) {
    long raw = u.countFromCl ? r[RCX] : u.imm;
    return (int) (raw & (u.sizeLog == 3 ? 63 : 31));
  }

  /**
   * Shifts or rotates {@code a} by {@code count} (already masked to 5 or 6 bits); a zero count
   * changes neither the value nor the flags.
   */
  private long shift(Uop u, long a, int count) {
    if (count == 0) {
      return a;
    }
    int sizeLog = u.sizeLog;
    long mask = u.mask;
    int bits = 8 << sizeLog;
    switch (u.op) {
      case Uop.OP_SHL: {
        long res = count < bits ? (a << count) & mask : 0;
        setFlags(FlagLogic.SHL, sizeLog, a, count, res);
        return res;
      }
      case Uop.OP_SHR: {
        long res = a >>> count;
        setFlags(FlagLogic.SHR, sizeLog, a, count, res);
        return res;
      }
      case Uop.OP_SAR: {
        long res = (FlagLogic.signExtend(a, sizeLog) >> count) & mask;
        setFlags(FlagLogic.SAR, sizeLog, a, count, res);
        return res;
      }
      case Uop.OP_ROL: {
        int rot = count & (bits - 1);
        long res = rot == 0 ? a : ((a << rot) | (a >>> (bits - rot))) & mask;
        boolean cf = (res & 1) != 0;
        boolean msb = (res >>> (bits - 1) & 1) != 0;
        setCarryAndOverflow(cf, cf != msb, true);
        return res;
      }
      default: { // ROR
        int rot = count & (bits - 1);
        long res = rot == 0 ? a : ((a >>> rot) | (a << (bits - rot))) & mask;
        boolean msb = (res >>> (bits - 1) & 1) != 0;
        boolean next = (res >>> (bits - 2) & 1) != 0;
        setCarryAndOverflow(msb, msb != next, true);
        return res;
      }
    }
  }

  private int shiftMemory(Uop u) {
    long address = linear(u);
    long a = loadForUpdate(u, address, u.size);
    if (space.hasFault()) {
      return memoryFault(u);
    }
    int count = shiftCount(u);
    if (count != 0) {
      ThreadContext c = ctx;
      int op = c.ccOp;
      long fa = c.ccA;
      long fb = c.ccB;
      long fr = c.ccRes;
      long res = shift(u, a, count);
      if (!store(u, address, u.size, res)) {
        c.ccOp = op;
        c.ccA = fa;
        c.ccB = fb;
        c.ccRes = fr;
        return memoryFault(u);
      }
    }
    return NEXT;
  }

  /** Two-operand ({@code dst *= src}) or three-operand ({@code dst = src * imm}) IMUL. */
  private int imul(Uop u, boolean twoOperand) {
    long src;
    if (u.memSrc) {
      src = load(u, linear(u), u.size);
      if (space.hasFault()) {
        return memoryFault(u);
      }
    } else {
      src = readSrc(u);
    }
    long a = twoOperand ? readDst(u) : src;
    long b = twoOperand ? src : u.imm;
    int sizeLog = u.sizeLog;
    long sa = FlagLogic.signExtend(a, sizeLog);
    long sb = FlagLogic.signExtend(b, sizeLog);
    long product = sa * sb;
    boolean overflow = sizeLog == 3
        ? Math.multiplyHigh(sa, sb) != (product >> 63)
        : FlagLogic.signExtend(product, sizeLog) != product;
    long res = product & u.mask;
    setFlags(FlagLogic.MUL, sizeLog, a, overflow ? 1 : 0, res);
    writeDst(u, res);
    return NEXT;
  }

  /** One-operand MUL / IMUL (RDX:RAX = RAX * src) and DIV / IDIV (of RDX:RAX by src). */
  private int mulDiv(Uop u) {
    long v;
    if (u.memSrc) {
      v = load(u, linear(u), u.size);
      if (space.hasFault()) {
        return memoryFault(u);
      }
    } else {
      v = readSrc(u);
    }
    switch (u.op) {
      case Uop.OP_MUL:
        multiply(u, v, false);
        return NEXT;
      case Uop.OP_IMUL1:
        multiply(u, v, true);
        return NEXT;
      case Uop.OP_DIV:
        return divideUnsigned(u, v) ? NEXT : exception(u, Trap.Kind.DIVIDE_ERROR);
      default:
        return divideSigned(u, v) ? NEXT : exception(u, Trap.Kind.DIVIDE_ERROR);
    }
  }

  private void multiply(Uop u, long v, boolean signed) {
    long[] regs = r;
    int sizeLog = u.sizeLog;
    long low;
    boolean overflow;
    switch (sizeLog) {
      case 0: {
        long a = regs[RAX] & 0xFF;
        long p = signed ? (long) (byte) a * (byte) v : a * v;
        low = p & 0xFF;
        overflow = signed ? (byte) p != p : (p >>> 8) != 0;
        writeRegister(RAX, 0, 0xFFFF, p);
        break;
      }
      case 1: {
        long a = regs[RAX] & 0xFFFF;
        long p = signed ? (long) (short) a * (short) v : a * v;
        low = p & 0xFFFF;
        overflow = signed ? (short) p != p : (p >>> 16) != 0;
        writeRegister(RAX, 0, 0xFFFF, p);
        writeRegister(RDX, 0, 0xFFFF, p >>> 16);
        break;
      }
      case 2: {
        long a = regs[RAX] & 0xFFFFFFFFL;
        long p = signed ? (long) (int) a * (int) v : a * v;
        low = p & 0xFFFFFFFFL;
        overflow = signed ? (int) p != p : (p >>> 32) != 0;
        regs[RAX] = low;
        regs[RDX] = p >>> 32;
        break;
      }
      default: {
        long a = regs[RAX];
        low = a * v;
        long high = signed ? Math.multiplyHigh(a, v) : Alu.unsignedMultiplyHigh(a, v);
        overflow = signed ? high != (low >> 63) : high != 0;
        regs[RAX] = low;
        regs[RDX] = high;
        break;
      }
    }
    setFlags(FlagLogic.MUL, sizeLog, 0, overflow ? 1 : 0, low);
  }

  /** Unsigned DIV; false (no effect) for #DE. Flags are left unchanged. */
  private boolean divideUnsigned(Uop u, long divisor) {
    if (divisor == 0) {
      return false;
    }
    long[] regs = r;
    switch (u.sizeLog) {
      case 0: {
        long dividend = regs[RAX] & 0xFFFF;
        long q = dividend / divisor;
        if (q > 0xFF) {
          return false;
        }
        writeRegister(RAX, 0, 0xFFFF, (dividend % divisor) << 8 | q);
        return true;
      }
      case 1: {
        long dividend = (regs[RDX] & 0xFFFF) << 16 | (regs[RAX] & 0xFFFF);
        long q = dividend / divisor;
        if (q > 0xFFFF) {
          return false;
        }
        writeRegister(RAX, 0, 0xFFFF, q);
        writeRegister(RDX, 0, 0xFFFF, dividend % divisor);
        return true;
      }
      case 2: {
        long dividend = (regs[RDX] & 0xFFFFFFFFL) << 32 | (regs[RAX] & 0xFFFFFFFFL);
        long q = Long.divideUnsigned(dividend, divisor);
        if (Long.compareUnsigned(q, 0xFFFFFFFFL) > 0) {
          return false;
        }
        regs[RAX] = q;
        regs[RDX] = Long.remainderUnsigned(dividend, divisor);
        return true;
      }
      default: {
        long hi = regs[RDX];
        long lo = regs[RAX];
        if (Long.compareUnsigned(hi, divisor) >= 0) {
          return false;
        }
        long q = hi == 0 ? Long.divideUnsigned(lo, divisor) : Alu.divideUnsigned128(hi, lo, divisor);
        regs[RAX] = q;
        regs[RDX] = lo - q * divisor;
        return true;
      }
    }
  }

  /** Signed IDIV (quotient truncated toward zero); false (no effect) for #DE. */
  private boolean divideSigned(Uop u, long v) {
    long[] regs = r;
    switch (u.sizeLog) {
      case 0: {
        long d = (byte) v;
        if (d == 0) {
          return false;
        }
        long dividend = (short) regs[RAX];
        long q = dividend / d;
        if (q != (byte) q) {
          return false;
        }
        writeRegister(RAX, 0, 0xFFFF, ((dividend % d) & 0xFF) << 8 | (q & 0xFF));
        return true;
      }
      case 1: {
        long d = (short) v;
        if (d == 0) {
          return false;
        }
        long dividend = (int) ((regs[RDX] & 0xFFFF) << 16 | (regs[RAX] & 0xFFFF));
        long q = dividend / d;
        if (q != (short) q) {
          return false;
        }
        writeRegister(RAX, 0, 0xFFFF, q);
        writeRegister(RDX, 0, 0xFFFF, dividend % d);
        return true;
      }
      case 2: {
        long d = (int) v;
        if (d == 0) {
          return false;
        }
        long dividend = (regs[RDX] & 0xFFFFFFFFL) << 32 | (regs[RAX] & 0xFFFFFFFFL);
        if (dividend == Long.MIN_VALUE && d == -1) {
          return false;
        }
        long q = dividend / d;
        if (q != (int) q) {
          return false;
        }
        regs[RAX] = q & 0xFFFFFFFFL;
        regs[RDX] = (dividend % d) & 0xFFFFFFFFL;
        return true;
      }
      default: {
        if (v == 0) {
          return false;
        }
        long hi = regs[RDX];
        long lo = regs[RAX];
        boolean negativeDividend = hi < 0;
        long absHi = hi;
        long absLo = lo;
        if (negativeDividend) {
          absLo = -lo;
          absHi = ~hi + (lo == 0 ? 1 : 0);
        }
        boolean negativeDivisor = v < 0;
        long absDivisor = negativeDivisor ? -v : v;
        if (Long.compareUnsigned(absHi, absDivisor) >= 0) {
          return false;
        }
        long q = absHi == 0
            ? Long.divideUnsigned(absLo, absDivisor)
            : Alu.divideUnsigned128(absHi, absLo, absDivisor);
        long rem = absLo - q * absDivisor;
        if (negativeDividend != negativeDivisor) {
          if (Long.compareUnsigned(q, Long.MIN_VALUE) > 0) {
            return false;
          }
          q = -q;
        } else if (q < 0) {
          return false;
        }
        regs[RAX] = q;
        regs[RDX] = negativeDividend ? -rem : rem;
        return true;
      }
    }
  }

  // ================================================================== bit tests

  private long bitResult(Uop u, long value, int bit) {
    switch (u.op) {
      case Uop.OP_BTS:
        return value | (1L << bit);
      case Uop.OP_BTR:
        return value & ~(1L << bit);
      case Uop.OP_BTC:
        return value ^ (1L << bit);
      default:
        return value;
    }
  }

  private int bitTestRegister(Uop u) {
    int bits = 8 << u.sizeLog;
    long offset = u.offsetFromReg ? readSrc(u) : u.imm;
    int bit = (int) (offset & (bits - 1));
    long value = readDst(u);
    setCarryAndOverflow(((value >>> bit) & 1) != 0, false, false);
    if (u.writes) {
      writeDst(u, bitResult(u, value, bit));
    }
    return NEXT;
  }

  private int bitTestMemory(Uop u) {
    long address = linear(u);
    int bit;
    if (u.offsetFromReg) {
      // A register offset addresses a bit string: signed, and may reach beyond the operand.
      long offset = FlagLogic.signExtend(readSrc(u), u.sizeLog);
      address += (offset >> (3 + u.sizeLog)) << u.sizeLog;
      bit = (int) (offset & ((8 << u.sizeLog) - 1));
    } else {
      bit = (int) u.imm;
    }
    long value = u.writes ? loadForUpdate(u, address, u.size) : load(u, address, u.size);
    if (space.hasFault()) {
      return memoryFault(u);
    }
    if (u.writes && !store(u, address, u.size, bitResult(u, value, bit))) {
      return memoryFault(u);
    }
    setCarryAndOverflow(((value >>> bit) & 1) != 0, false, false);
    return NEXT;
  }

  // ================================================================== control flow

  private int jumpIndirect(Uop u, long target) {
    if (!isCanonical(target)) {
      return exception(u, Trap.Kind.GENERAL_PROTECTION);
    }
    return jump(target, decoded.indexOf(target));
  }

  private int jumpMemory(Uop u) {
    long target = load(u, linear(u), 8);
    if (space.hasFault()) {
      return memoryFault(u);
    }
    return jumpIndirect(u, target);
  }

  private int call(Uop u, long target, int index) {
    long rsp = r[RSP] - 8;
    if (!storeStack(rsp, 8, u.nextRip)) {
      return memoryFault(u);
    }
    r[RSP] = rsp;
    return jump(target, index);
  }

  private int callIndirect(Uop u, long target) {
    if (!isCanonical(target)) {
      return exception(u, Trap.Kind.GENERAL_PROTECTION);
    }
    return call(u, target, decoded.indexOf(target));
  }

  private int callMemory(Uop u) {
    long target = load(u, linear(u), 8);
    if (space.hasFault()) {
      return memoryFault(u);
    }
    return callIndirect(u, target);
  }

  private int ret(Uop u) {
    long rsp = r[RSP];
    long target = loadStack(rsp, 8);
    if (space.hasFault()) {
      return memoryFault(u);
    }
    if (!isCanonical(target)) {
      return exception(u, Trap.Kind.GENERAL_PROTECTION);
    }
    r[RSP] = rsp + 8 + u.imm;
    return jump(target, decoded.indexOf(target));
  }

  // ================================================================== atomics

  private int cmpxchgRegister(Uop u) {
    long mask = u.mask;
    long accumulator = r[RAX] & mask;
    long current = readDst(u);
    setFlags(FlagLogic.SUB, u.sizeLog, accumulator, current, (accumulator - current) & mask);
    if (accumulator == current) {
      writeDst(u, readSrc(u));
    } else {
      writeRegister(RAX, 0, mask, current);
    }
    return NEXT;
  }

  private int cmpxchgMemory(Uop u) {
    long address = linear(u);
    long current = loadForUpdate(u, address, u.size);
    if (space.hasFault()) {
      return memoryFault(u);
    }
    long mask = u.mask;
    long accumulator = r[RAX] & mask;
    boolean equal = accumulator == current;
    // The destination is always written: the old value back when the comparison fails.
    if (!store(u, address, u.size, equal ? readSrc(u) : current)) {
      return memoryFault(u);
    }
    setFlags(FlagLogic.SUB, u.sizeLog, accumulator, current, (accumulator - current) & mask);
    if (!equal) {
      writeRegister(RAX, 0, mask, current);
    }
    return NEXT;
  }

  private int xaddRegister(Uop u) {
    long current = readDst(u);
    long sum = alu(Uop.OP_ADD, u.sizeLog, u.mask, current, readSrc(u));
    writeSrc(u, current);
    writeDst(u, sum);
    return NEXT;
  }

  private int xaddMemory(Uop u) {
    long address = linear(u);
    long current = loadForUpdate(u, address, u.size);
    if (space.hasFault()) {
      return memoryFault(u);
    }
    long addend = readSrc(u);
    if (!store(u, address, u.size, (current + addend) & u.mask)) {
      return memoryFault(u);
    }
    alu(Uop.OP_ADD, u.sizeLog, u.mask, current, addend);
    writeSrc(u, current);
    return NEXT;
  }

  // ================================================================== system

  private int readBase(Uop u, int segment) {
    if (!hasFsGsBase) {
      return exception(u, Trap.Kind.INVALID_OPCODE);
    }
    writeDst(u, segBase[segment]);
    return NEXT;
  }

  private int writeBase(Uop u, int segment) {
    if (!hasFsGsBase) {
      return exception(u, Trap.Kind.INVALID_OPCODE);
    }
    long value = readSrc(u);
    if (!isCanonical(value)) {
      return exception(u, Trap.Kind.GENERAL_PROTECTION);
    }
    segBase[segment] = value;
    return NEXT;
  }

  private int rdtsc(Uop u, boolean withAux) {
    long t = timing.cycle();
    r[RAX] = t & 0xFFFFFFFFL;
    r[RDX] = t >>> 32;
    if (withAux) {
      r[RCX] = tscAux;
    }
    return NEXT;
  }
}
