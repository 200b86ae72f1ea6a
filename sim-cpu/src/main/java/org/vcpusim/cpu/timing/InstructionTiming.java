package org.vcpusim.cpu.timing;

import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Operand;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.profile.CpuProfile;

/**
 * What the dataflow model needs to know about one instruction that does not change from one
 * execution to the next: which registers it reads as data and as address inputs, which it writes,
 * whether it reads or writes the flags, its result latency, and how it steers the front end. Built
 * once per {@link Instruction} by {@link #of} so the model's hot path only reads fields.
 *
 * <p>Register sets are bit masks over the 16 general-purpose registers ({@code 1 << reg}).
 * Dependencies follow the Intel SDM operand definitions: an 8- or 16-bit register write merges
 * into the old value, so it also reads the destination (SDM vol. 1, 3.4.1.1); a 32-bit write does
 * not. {@code xor r,r} and {@code sub r,r} of 32 or 64 bits are zeroing idioms with no input
 * (Intel and AMD optimization manuals). {@code push}, {@code pop}, {@code call} and {@code ret}
 * wait for RSP but do not delay later RSP readers: the stack engine tracks their RSP updates in
 * the front end (Agner Fog, "The microarchitecture of Intel, AMD and VIA CPUs", stack engine).
 *
 * <p><b>ALU pipes</b> ({@link #usesAlu}): an instruction that does integer work claims one slot
 * of {@code pipeline.aluPorts} in the cycle it starts. That is every register operation with a
 * result latency (add and the other simple ops, cmp/test, inc/dec/neg/not, lea, mov of an
 * immediate, movzx/movsx from a register, cmov, setcc, shifts, bt*, imul/mul, div, cltq family,
 * xchg of registers, unlocked cmpxchg/xadd), the ALU part of a load-op or read-modify-write, and
 * every branch, call and return (GCC's AMD-written Zen 4/5 model, gcc/config/i386/zn4zn5.md:
 * alu/test/icmp/incdec/ishift/imov on {@code znver5-ieu}, branches and calls on
 * {@code ieu0|bru0}; Intel runs branches on ALU ports 0 and 6). Pure loads and stores, push, pop,
 * eliminated moves and zeroing idioms (renamed away), nop, prefetch and the system instructions
 * claim none. Simplifications: every ALU instruction is one slot on any pipe (the pipes' per-class
 * restrictions, e.g. imul on one pipe, are not modelled) and cmp/test + jcc are not fused (both
 * claim a slot).
 *
 * <p>Immutable.
 */
public final class InstructionTiming {
  /** Executes on the out-of-order core without steering the front end. */
  public static final int PLAIN = 0;
  /** Waits for all older work and holds all younger work (lfence, mfence, locked, rdtsc...). */
  public static final int SERIALIZING = 1;
  /** Conditional branch, predicted by the direction predictor. */
  public static final int BRANCH_CONDITIONAL = 2;
  /** Direct jmp: always taken, target known. */
  public static final int JUMP_DIRECT = 3;
  /** Indirect jmp: target predicted by the BTB. */
  public static final int JUMP_INDIRECT = 4;
  /** Direct call: always taken; pushes the return stack. */
  public static final int CALL_DIRECT = 5;
  /** Indirect call: target predicted by the BTB; pushes the return stack. */
  public static final int CALL_INDIRECT = 6;
  /** ret: target predicted by the return stack. */
  public static final int RETURN = 7;
  /** pause: holds the front end for {@code alu.pause} cycles. */
  public static final int PAUSE = 8;

  /** The instruction described. */
  public final Instruction insn;
  /** One of the kind constants above. */
  public final int kind;
  /** Registers read as data (operands, implicit inputs). */
  public final int dataReads;
  /** Registers read to form memory addresses (base, index). */
  public final int addressReads;
  /** Registers written. */
  public final int writes;
  /** Register slot the model never writes: reading it yields cycle 0 (no dependency). */
  static final int NO_READ = 16;
  /** Register slot the model never reads: a write to it has no effect. */
  static final int NO_WRITE = 17;

  // The hot path reads up to three data, three address registers and writes up to three
  // registers without loops; unused entries are NO_READ / NO_WRITE. Rarer wider sets (e.g. the
  // seven syscall argument registers) are in the *Extra masks.
  final int data0;
  final int data1;
  final int data2;
  final int dataExtra;
  final int address0;
  final int address1;
  final int address2;
  final int addressExtra;
  final int write0;
  final int write1;
  final int write2;
  final int writeExtra;
  public final boolean readsFlags;
  public final boolean writesFlags;
  /** Cycles from the last input (register or loaded value) ready to the result ready. */
  public final int latency;
  /** For {@link #SERIALIZING}: cycles from the drain to completion; for {@link #PAUSE}: stall. */
  public final int cost;
  /** For {@link #SERIALIZING}: also waits for the store buffer to drain (mfence, locked ops). */
  public final boolean drainsStores;
  /** Claims one integer ALU pipe slot in the cycle it starts (see the class comment). */
  public final boolean usesAlu;

  private InstructionTiming(
      Instruction insn,
      int kind,
      int dataReads,
      int addressReads,
      int writes,
      boolean readsFlags,
      boolean writesFlags,
      int latency,
      int cost,
      boolean drainsStores,
      boolean usesAlu) {
    this.insn = insn;
    this.kind = kind;
    this.dataReads = dataReads;
    this.addressReads = addressReads;
    this.writes = writes;
    int[] d = list(dataReads);
    data0 = d.length > 0 ? d[0] : NO_READ;
    data1 = d.length > 1 ? d[1] : NO_READ;
    data2 = d.length > 2 ? d[2] : NO_READ;
    dataExtra = rest(dataReads, 3);
    int[] a = list(addressReads);
    address0 = a.length > 0 ? a[0] : NO_READ;
    address1 = a.length > 1 ? a[1] : NO_READ;
    address2 = a.length > 2 ? a[2] : NO_READ;
    addressExtra = rest(addressReads, 3);
    int[] w = list(writes);
    write0 = w.length > 0 ? w[0] : NO_WRITE;
    write1 = w.length > 1 ? w[1] : NO_WRITE;
    write2 = w.length > 2 ? w[2] : NO_WRITE;
    writeExtra = rest(writes, 3);
    this.readsFlags = readsFlags;
    this.writesFlags = writesFlags;
    this.latency = latency;
    this.cost = cost;
    this.drainsStores = drainsStores;
    this.usesAlu = usesAlu;
  }

  private static int[] list(int mask) {
    int[] regs = new int[Integer.bitCount(mask)];
    int k = 0;
    for (int m = mask; m != 0; m &= m - 1) {
      regs[k++] = Integer.numberOfTrailingZeros(m);
    }
    return regs;
  }

  /** The mask without its {@code skip} lowest registers. */
  private static int rest(int mask, int skip) {
    int m = mask;
    for (int i = 0; i < skip && m != 0; i++) {
      m &= m - 1;
    }
    return m;
  }

  private static int bit(int reg) {
    return reg >= 0 && reg < Registers.COUNT ? 1 << reg : 0;
  }

  private static boolean isReg(Operand o) {
    return o != null && o.kind == Operand.Kind.REGISTER;
  }

  private static boolean isMem(Operand o) {
    return o != null && o.kind == Operand.Kind.MEMORY;
  }

  /** Computes the static timing of {@code insn} under {@code profile}. */
  public static InstructionTiming of(Instruction insn, CpuProfile profile) {
    CpuProfile.AluLatency alu = profile.alu();
    CpuProfile.SystemInstructions sys = profile.system();
    Operand[] ops = insn.operands;
    int n = ops.length;
    Operand dst = n == 0 ? null : ops[n - 1];
    Operand src = n >= 2 ? ops[0] : null;

    int address = 0;
    int sourceRegs = 0; // registers among the non-destination operands
    for (int i = 0; i < n; i++) {
      Operand o = ops[i];
      if (o.kind == Operand.Kind.MEMORY) {
        address |= bit(o.base) | bit(o.index);
      } else if (o.kind == Operand.Kind.REGISTER && i < n - 1) {
        sourceRegs |= bit(o.reg);
      }
    }
    int dstReg = isReg(dst) ? bit(dst.reg) : 0;
    boolean mergeDst = isReg(dst) && dst.size <= 2; // 8/16-bit writes keep the other bits
    boolean memDst = isMem(dst);
    boolean locked = insn.lock;

    int kind = PLAIN;
    int reads = 0;
    int writes = 0;
    boolean rf = false;
    boolean wf = false;
    int latency = 0;
    int cost = 0;
    boolean drains = false;
    boolean usesAlu = false;

    switch (insn.opcode) {
      case MOV:
        reads = sourceRegs | (mergeDst ? dstReg : 0);
        writes = dstReg;
        if (isReg(src) && isReg(dst)) {
          latency = alu.movRegister();
          usesAlu = latency > 0; // an eliminated move is renamed away
        } else if (!isMem(src) && isReg(dst)) {
          latency = alu.simple();
          usesAlu = true;
        }
        break;
      case MOVZX:
      case MOVSX:
        reads = sourceRegs | (mergeDst ? dstReg : 0);
        writes = dstReg;
        latency = isMem(src) ? 0 : alu.simple();
        usesAlu = !isMem(src);
        break;
      case LEA:
        // the address is the result: its registers are data inputs, there is no access
        reads = address;
        address = 0;
        writes = dstReg;
        latency = alu.lea();
        usesAlu = true;
        break;
      case XCHG:
        reads = sourceRegs | dstReg;
        writes = sourceRegs | dstReg;
        if (isMem(src) || memDst) {
          // xchg with memory is implicitly locked (SDM vol. 2, XCHG)
          kind = SERIALIZING;
          cost = sys.lockedRmw();
          drains = true;
        } else {
          latency = alu.simple();
          usesAlu = true;
        }
        break;
      case PUSH:
        reads = sourceRegs | dstReg; // push's only operand is its source
        address |= bit(Registers.RSP);
        break;
      case POP:
        writes = dstReg;
        address |= bit(Registers.RSP);
        break;
      case CMOV:
        reads = sourceRegs | dstReg;
        writes = dstReg;
        rf = true;
        latency = alu.cmov();
        usesAlu = true;
        break;
      case CLTQ:
      case CWTL:
        reads = bit(Registers.RAX);
        writes = bit(Registers.RAX);
        latency = alu.simple();
        break;
      case CLTD:
      case CQTO:
        reads = bit(Registers.RAX);
        writes = bit(Registers.RDX);
        latency = alu.simple();
        break;
      case ADD:
      case SUB:
      case AND:
      case OR:
      case XOR:
      case ADC:
      case SBB:
        wf = true;
        rf = insn.opcode == Opcode.ADC || insn.opcode == Opcode.SBB;
        if ((insn.opcode == Opcode.XOR || insn.opcode == Opcode.SUB)
            && isReg(src) && isReg(dst) && src.reg == dst.reg && !src.highByte
            && dst.size >= 4) {
          // zeroing idiom: no input, handled at rename
          writes = dstReg;
          latency = 0;
        } else {
          reads = sourceRegs | dstReg;
          writes = dstReg;
          latency = alu.simple();
        }
        break;
      case INC:
      case DEC:
      case NEG:
      case NOT:
        reads = dstReg;
        writes = dstReg;
        wf = insn.opcode != Opcode.NOT;
        latency = alu.simple();
        break;
      case CMP:
      case TEST:
        reads = sourceRegs | dstReg;
        wf = true;
        latency = alu.simple();
        break;
      case IMUL:
        wf = true;
        latency = alu.imul();
        if (n == 1) {
          reads = dstReg | bit(Registers.RAX);
          writes = bit(Registers.RAX) | bit(Registers.RDX);
        } else if (n == 2) {
          reads = sourceRegs | dstReg;
          writes = dstReg;
        } else {
          reads = sourceRegs; // imul $imm, src, dst: dst is not an input
          writes = dstReg;
        }
        break;
      case MUL:
        wf = true;
        latency = alu.imul();
        reads = dstReg | bit(Registers.RAX);
        writes = bit(Registers.RAX) | bit(Registers.RDX);
        break;
      case DIV:
      case IDIV:
        wf = true;
        latency = insn.size == 8 ? alu.divide64() : alu.divide32();
        reads = dstReg | bit(Registers.RAX) | bit(Registers.RDX);
        writes = bit(Registers.RAX) | bit(Registers.RDX);
        break;
      case SHL:
      case SHR:
      case SAR:
      case ROL:
      case ROR:
        reads = sourceRegs | dstReg;
        writes = dstReg;
        wf = true;
        latency = isReg(src) ? alu.shiftByCl() : alu.shiftImmediate();
        break;
      case BT:
        reads = sourceRegs | dstReg;
        wf = true;
        latency = alu.bitTest();
        break;
      case BTS:
      case BTR:
      case BTC:
        reads = sourceRegs | dstReg;
        writes = dstReg;
        wf = true;
        latency = alu.bitTest();
        break;
      case JMP:
        kind = insn.target >= 0 && !isReg(dst) && !isMem(dst) ? JUMP_DIRECT : JUMP_INDIRECT;
        reads = dstReg;
        latency = alu.simple();
        break;
      case JCC:
        kind = BRANCH_CONDITIONAL;
        rf = true;
        latency = alu.simple();
        break;
      case SETCC:
        reads = dstReg; // writes one byte: merges
        writes = dstReg;
        rf = true;
        latency = alu.setcc();
        break;
      case CALL:
        kind = insn.target >= 0 && !isReg(dst) && !isMem(dst) ? CALL_DIRECT : CALL_INDIRECT;
        reads = dstReg;
        address |= bit(Registers.RSP);
        latency = alu.simple();
        break;
      case RET:
        kind = RETURN;
        address |= bit(Registers.RSP);
        latency = alu.simple();
        break;
      case CMPXCHG:
        reads = sourceRegs | dstReg | bit(Registers.RAX);
        writes = dstReg | bit(Registers.RAX);
        wf = true;
        latency = alu.simple();
        break;
      case XADD:
        reads = sourceRegs | dstReg;
        writes = sourceRegs | dstReg;
        wf = true;
        latency = alu.simple();
        break;
      case NOP:
        address = 0; // nopl mem has no access and no inputs
        break;
      case PAUSE:
        kind = PAUSE;
        cost = alu.pause();
        break;
      case MFENCE:
        kind = SERIALIZING;
        cost = sys.mfence();
        drains = true;
        break;
      case LFENCE:
        kind = SERIALIZING;
        cost = sys.lfence();
        break;
      case SFENCE:
        // orders stores only; the model commits stores in program order already
        break;
      case PREFETCHT0:
      case PREFETCHT1:
      case PREFETCHT2:
      case PREFETCHNTA:
      case PREFETCHW:
        break;
      case RDFSBASE:
        writes = dstReg;
        latency = sys.rdfsbase();
        break;
      case RDGSBASE:
        writes = dstReg;
        latency = sys.rdgsbase();
        break;
      case WRFSBASE:
      case WRGSBASE:
        reads = dstReg;
        if (sys.segmentBaseWriteSerializes()) {
          kind = SERIALIZING;
          cost = insn.opcode == Opcode.WRFSBASE ? sys.wrfsbase() : sys.wrgsbase();
        } else {
          latency = insn.opcode == Opcode.WRFSBASE ? sys.wrfsbase() : sys.wrgsbase();
        }
        break;
      case RDPID:
        writes = dstReg;
        latency = sys.rdpid();
        break;
      case RDTSC:
        kind = SERIALIZING;
        cost = sys.rdtsc();
        writes = bit(Registers.RAX) | bit(Registers.RDX);
        break;
      case RDTSCP:
        kind = SERIALIZING;
        cost = sys.rdtscp();
        writes = bit(Registers.RAX) | bit(Registers.RDX) | bit(Registers.RCX);
        break;
      case SYSCALL:
        kind = SERIALIZING;
        cost = sys.syscallInstruction();
        reads = bit(Registers.RAX) | bit(Registers.RDI) | bit(Registers.RSI)
            | bit(Registers.RDX) | bit(Registers.R10) | bit(Registers.R8) | bit(Registers.R9);
        writes = bit(Registers.RAX) | bit(Registers.RCX) | bit(Registers.R11);
        break;
      case UD1:
      case UD2:
        address = 0;
        break;
      default:
        throw new IllegalArgumentException("no timing rule for " + insn.opcode);
    }
    if (integerOp(insn.opcode) && latency > 0) {
      usesAlu = true; // a zeroing idiom (latency 0) is handled at rename
    }
    if (locked && kind == PLAIN && memDst) {
      // a lock-prefixed read-modify-write is a full barrier (SDM vol. 3, 9.2.3 and 9.1.2)
      kind = SERIALIZING;
      cost = sys.lockedRmw();
      drains = true;
    }
    return new InstructionTiming(insn, kind, reads, address, writes, rf, wf, latency, cost,
        drains, usesAlu && kind != SERIALIZING);
  }

  /**
   * Opcodes whose work is done on an integer ALU pipe whenever they have a result latency: the
   * arithmetic, logic, compare, shift, bit-test, multiply/divide, sign-extension, setcc, xadd
   * and cmpxchg operations, and every branch, call and return (the moves, lea and cmov are
   * decided in {@link #of} by their operands).
   */
  private static boolean integerOp(Opcode op) {
    switch (op) {
      case CLTQ: case CWTL: case CLTD: case CQTO:
      case ADD: case SUB: case AND: case OR: case XOR: case ADC: case SBB:
      case INC: case DEC: case NEG: case NOT: case CMP: case TEST:
      case IMUL: case MUL: case DIV: case IDIV:
      case SHL: case SHR: case SAR: case ROL: case ROR:
      case BT: case BTS: case BTR: case BTC: case SETCC:
      case CMPXCHG: case XADD:
      case JMP: case JCC: case CALL: case RET:
        return true;
      default:
        return false;
    }
  }

  @Override
  public String toString() {
    return insn.text + " kind=" + kind + " reads=" + Integer.toHexString(dataReads)
        + " addr=" + Integer.toHexString(addressReads) + " writes=" + Integer.toHexString(writes)
        + " lat=" + latency + " cost=" + cost;
  }
}
