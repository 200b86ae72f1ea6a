package org.vcpusim.cpu.exec;

import java.util.function.LongToIntFunction;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Operand;
import org.vcpusim.cpu.isa.Registers;

/**
 * Turns an {@link Instruction} into a {@link Uop}: picks the handler for its operand form and
 * flattens its operands. Rejects forms the x86 ISA does not have (two memory operands, an
 * immediate destination) with an {@link IllegalArgumentException} naming the instruction and its
 * source location, so that a bad program fails when it is attached, not in the middle of a run.
 *
 * <p>A {@code lock} prefix on anything but a read-modify-write with a memory destination of {@code
 * add adc and btc btr bts cmpxchg dec inc neg not or sbb sub xor xadd xchg} decodes to an
 * instruction that raises #UD, as on hardware (Intel SDM vol. 2A, "LOCK").
 */
final class Decoder {
  private final Instruction in;
  private final Operand[] ops;
  private final Uop u = new Uop();

  private Decoder(Instruction in) {
    this.in = in;
    this.ops = in.operands;
  }

  static Uop decode(Instruction in, LongToIntFunction indexOf) {
    Decoder d = new Decoder(in);
    Uop u = d.u;
    u.insn = in;
    u.address = in.address;
    u.length = in.length;
    u.nextRip = in.nextAddress();
    u.target = in.target;
    u.targetIndex = in.target >= 0 ? indexOf.applyAsInt(in.target) : -1;
    u.cond = in.condition == null ? -1 : in.condition.code();
    d.decodeForm();
    if (in.lock && !d.lockable()) {
      u.kind = Uop.UD;
    }
    return u;
  }

  private IllegalArgumentException bad(String why) {
    return new IllegalArgumentException(
        in.source + ": cannot execute '" + in.text + "' (" + in.opcode + "): " + why);
  }

  private void count(int n) {
    if (ops.length != n) {
      throw bad("expected " + n + " operand(s), got " + ops.length);
    }
  }

  private static int log2(int size) {
    switch (size) {
      case 1:
        return 0;
      case 2:
        return 1;
      case 4:
        return 2;
      case 8:
        return 3;
      default:
        return -1;
    }
  }

  private void size(int size) {
    int log = log2(size);
    if (log < 0) {
      throw bad("operand size " + size);
    }
    u.size = size;
    u.sizeLog = log;
    u.mask = FlagLogic.mask(log);
  }

  private Operand reg(int i) {
    Operand o = ops[i];
    if (!o.isRegister()) {
      throw bad("operand " + (i + 1) + " must be a register");
    }
    return o;
  }

  private void src(Operand o) {
    u.srcReg = o.reg;
    u.srcShift = o.highByte ? 8 : 0;
    u.srcMask = FlagLogic.mask(log2(o.size));
    u.srcSizeLog = log2(o.size);
  }

  private void dst(Operand o) {
    u.dstReg = o.reg;
    u.dstShift = o.highByte ? 8 : 0;
    u.dstMask = FlagLogic.mask(log2(o.size));
    u.dstFull = o.size >= 4;
  }

  private void mem(Operand o, int fallbackSize) {
    u.seg = o.segment.ordinal();
    u.segment = o.segment;
    if (o.base == Registers.RIP) {
      u.base = ThreadContext.ZERO_SLOT;
      u.disp = o.disp + in.nextAddress();
    } else {
      u.base = o.base == Registers.NONE ? ThreadContext.ZERO_SLOT : o.base;
      u.disp = o.disp;
    }
    u.index = o.index == Registers.NONE ? ThreadContext.ZERO_SLOT : o.index;
    u.scaleShift = log2(o.scale);
    u.memSize = o.size != 0 ? o.size : fallbackSize;
  }

  /** Size of a memory destination: its own width, else the instruction's. */
  private int memSize(Operand o) {
    return o.size != 0 ? o.size : in.size;
  }

  private void decodeForm() {
    Opcode opc = in.opcode;
    switch (opc) {
      case MOV:
        mov();
        return;
      case MOVZX:
      case MOVSX:
        extend(opc == Opcode.MOVZX);
        return;
      case LEA: {
        count(2);
        if (!ops[0].isMemory()) {
          throw bad("lea needs a memory operand");
        }
        Operand d = reg(1);
        dst(d);
        size(d.size);
        mem(ops[0], 0);
        u.kind = Uop.LEA;
        return;
      }
      case XCHG:
        xchg();
        return;
      case PUSH:
        push();
        return;
      case POP:
        pop();
        return;
      case CMOV: {
        count(2);
        Operand d = reg(1);
        dst(d);
        size(d.size);
        if (ops[0].isRegister()) {
          src(ops[0]);
          u.kind = Uop.CMOV_R;
        } else if (ops[0].isMemory()) {
          mem(ops[0], d.size);
          u.kind = Uop.CMOV_M;
        } else {
          throw bad("cmov source must be a register or memory");
        }
        return;
      }
      case CLTQ:
        fixed(Uop.CLTQ, 8);
        return;
      case CWTL:
        fixed(Uop.CWTL, 4);
        return;
      case CLTD:
        fixed(Uop.CLTD, 4);
        return;
      case CQTO:
        fixed(Uop.CQTO, 8);
        return;
      case ADD:
        alu(Uop.OP_ADD);
        return;
      case ADC:
        alu(Uop.OP_ADC);
        return;
      case SUB:
        alu(Uop.OP_SUB);
        return;
      case SBB:
        alu(Uop.OP_SBB);
        return;
      case AND:
        alu(Uop.OP_AND);
        return;
      case OR:
        alu(Uop.OP_OR);
        return;
      case XOR:
        alu(Uop.OP_XOR);
        return;
      case CMP:
        alu(Uop.OP_CMP);
        return;
      case TEST:
        alu(Uop.OP_TEST);
        return;
      case INC:
        unary(Uop.OP_INC);
        return;
      case DEC:
        unary(Uop.OP_DEC);
        return;
      case NEG:
        unary(Uop.OP_NEG);
        return;
      case NOT:
        unary(Uop.OP_NOT);
        return;
      case SHL:
        shift(Uop.OP_SHL);
        return;
      case SHR:
        shift(Uop.OP_SHR);
        return;
      case SAR:
        shift(Uop.OP_SAR);
        return;
      case ROL:
        shift(Uop.OP_ROL);
        return;
      case ROR:
        shift(Uop.OP_ROR);
        return;
      case IMUL:
        imul();
        return;
      case MUL:
        mulDiv(Uop.OP_MUL);
        return;
      case DIV:
        mulDiv(Uop.OP_DIV);
        return;
      case IDIV:
        mulDiv(Uop.OP_IDIV);
        return;
      case BT:
        bitTest(Uop.OP_BT);
        return;
      case BTS:
        bitTest(Uop.OP_BTS);
        return;
      case BTR:
        bitTest(Uop.OP_BTR);
        return;
      case BTC:
        bitTest(Uop.OP_BTC);
        return;
      case JMP:
        branch(Uop.JMP, Uop.JMP_R, Uop.JMP_M);
        return;
      case CALL:
        branch(Uop.CALL, Uop.CALL_R, Uop.CALL_M);
        return;
      case JCC:
        if (in.target < 0) {
          throw bad("conditional jumps are always direct");
        }
        u.kind = Uop.JCC;
        return;
      case SETCC: {
        count(1);
        size(1);
        if (ops[0].isRegister()) {
          dst(ops[0]);
          u.kind = Uop.SETCC_R;
        } else if (ops[0].isMemory()) {
          mem(ops[0], 1);
          u.memSize = 1;
          u.kind = Uop.SETCC_M;
        } else {
          throw bad("setcc needs a register or memory destination");
        }
        return;
      }
      case RET:
        if (ops.length == 1 && ops[0].isImmediate()) {
          u.imm = ops[0].imm & 0xFFFF;
        } else if (ops.length != 0) {
          throw bad("ret takes no operand or an immediate");
        }
        size(8);
        u.kind = Uop.RET;
        return;
      case CMPXCHG:
        exchangeRmw(Uop.CMPXCHG_R, Uop.CMPXCHG_M);
        return;
      case XADD:
        exchangeRmw(Uop.XADD_R, Uop.XADD_M);
        return;
      case NOP:
      case PAUSE:
      case MFENCE:
      case LFENCE:
      case SFENCE:
        u.kind = Uop.NOP;
        return;
      case PREFETCHT0:
      case PREFETCHT1:
      case PREFETCHT2:
      case PREFETCHNTA:
      case PREFETCHW:
        count(1);
        if (!ops[0].isMemory()) {
          throw bad("prefetch needs a memory operand");
        }
        mem(ops[0], 1);
        u.kind = Uop.PREFETCH;
        return;
      case RDFSBASE:
      case RDGSBASE: {
        count(1);
        Operand d = reg(0);
        baseSize(d);
        dst(d);
        u.kind = opc == Opcode.RDFSBASE ? Uop.RDFSBASE : Uop.RDGSBASE;
        return;
      }
      case WRFSBASE:
      case WRGSBASE: {
        count(1);
        Operand s = reg(0);
        baseSize(s);
        src(s);
        u.kind = opc == Opcode.WRFSBASE ? Uop.WRFSBASE : Uop.WRGSBASE;
        return;
      }
      case RDPID: {
        count(1);
        Operand d = reg(0);
        if (d.size != 8) {
          throw bad("rdpid writes a 64-bit register in 64-bit mode");
        }
        dst(d);
        size(8);
        u.kind = Uop.RDPID;
        return;
      }
      case RDTSC:
        u.kind = Uop.RDTSC;
        return;
      case RDTSCP:
        u.kind = Uop.RDTSCP;
        return;
      case SYSCALL:
        u.kind = Uop.SYSCALL;
        return;
      case UD1:
      case UD2:
        u.kind = Uop.UD;
        return;
      default:
        throw bad("unsupported operation");
    }
  }

  private void fixed(int kind, int size) {
    count(0);
    size(size);
    u.kind = kind;
  }

  private void baseSize(Operand o) {
    if (o.size != 4 && o.size != 8) {
      throw bad("segment-base instructions take a 32- or 64-bit register");
    }
    size(o.size);
  }

  private void mov() {
    count(2);
    sourceToDestination(Uop.MOV_RR, Uop.MOV_IR, Uop.MOV_MR, Uop.MOV_RM, Uop.MOV_IM);
  }

  /**
   * The operand forms of {@code op src, dst} shared by mov and the two-operand ALU instructions:
   * register, immediate or memory source; register or memory destination; never two memory
   * operands. Sets the operands and size and {@code u.kind} to the form's kind.
   */
  private void sourceToDestination(int rr, int ir, int mr, int rm, int im) {
    Operand s = ops[0];
    Operand d = ops[1];
    if (d.isRegister()) {
      dst(d);
      size(d.size);
      if (s.isRegister()) {
        if (s.size != d.size) {
          throw bad("operand sizes differ");
        }
        src(s);
        u.kind = rr;
      } else if (s.isImmediate()) {
        u.imm = s.imm & u.mask;
        u.kind = ir;
      } else {
        mem(s, d.size);
        u.kind = mr;
      }
    } else if (d.isMemory()) {
      if (s.isRegister()) {
        src(s);
        size(s.size);
        mem(d, s.size);
        u.kind = rm;
      } else if (s.isImmediate()) {
        size(memSize(d));
        mem(d, u.size);
        u.imm = s.imm & u.mask;
        u.kind = im;
      } else {
        throw bad("two memory operands");
      }
    } else {
      throw bad("destination cannot be an immediate");
    }
  }

  private void extend(boolean zero) {
    count(2);
    Operand s = ops[0];
    Operand d = reg(1);
    dst(d);
    size(d.size);
    int srcSize = s.size;
    if (log2(srcSize) < 0 || srcSize >= d.size || (zero && srcSize > 2)) {
      throw bad("bad source size " + srcSize + " for destination size " + d.size);
    }
    if (s.isRegister()) {
      src(s);
      u.kind = zero ? Uop.MOVZX_R : Uop.MOVSX_R;
    } else if (s.isMemory()) {
      mem(s, srcSize);
      u.srcSizeLog = log2(srcSize);
      u.srcMask = FlagLogic.mask(u.srcSizeLog);
      u.kind = zero ? Uop.MOVZX_M : Uop.MOVSX_M;
    } else {
      throw bad("source must be a register or memory");
    }
  }

  private void xchg() {
    count(2);
    Operand a = ops[0];
    Operand b = ops[1];
    if (a.isRegister() && b.isRegister()) {
      if (a.size != b.size) {
        throw bad("operand sizes differ");
      }
      src(a);
      dst(b);
      size(b.size);
      u.kind = Uop.XCHG_RR;
    } else if (a.isRegister() && b.isMemory() || a.isMemory() && b.isRegister()) {
      Operand r = a.isRegister() ? a : b;
      Operand m = a.isRegister() ? b : a;
      src(r);
      size(r.size);
      mem(m, r.size);
      u.kind = Uop.XCHG_RM;
    } else {
      throw bad("xchg needs a register and a register or memory operand");
    }
  }

  private void push() {
    int size = stackOperandSize("push");
    Operand s = ops[0];
    if (s.isRegister()) {
      if (s.size != size) {
        throw bad("register size " + s.size + " for a " + size + "-byte push");
      }
      src(s);
      u.kind = Uop.PUSH_R;
    } else if (s.isImmediate()) {
      u.imm = s.imm & u.mask;
      u.kind = Uop.PUSH_I;
    } else {
      mem(s, size);
      u.kind = Uop.PUSH_M;
    }
  }

  private void pop() {
    int size = stackOperandSize("pop");
    Operand d = ops[0];
    if (d.isRegister()) {
      if (d.size != size) {
        throw bad("register size " + d.size + " for a " + size + "-byte pop");
      }
      dst(d);
      u.kind = Uop.POP_R;
    } else if (d.isMemory()) {
      mem(d, size);
      u.kind = Uop.POP_M;
    } else {
      throw bad("pop needs a register or memory destination");
    }
  }

  /** The one operand and the size of a push or pop: the instruction's, else 8; 8 or 2 only. */
  private int stackOperandSize(String what) {
    count(1);
    int size = in.size != 0 ? in.size : 8;
    if (size != 8 && size != 2) {
      throw bad(what + " is 8 or 2 bytes in 64-bit mode");
    }
    size(size);
    return size;
  }

  private void alu(int op) {
    count(2);
    u.op = op;
    u.writes = op != Uop.OP_CMP && op != Uop.OP_TEST;
    sourceToDestination(Uop.ALU_RR, Uop.ALU_IR, Uop.ALU_MR, Uop.ALU_RM, Uop.ALU_IM);
  }

  private void unary(int op) {
    count(1);
    u.op = op;
    readModifyWriteDestination(ops[0], Uop.UNARY_R, Uop.UNARY_M);
  }

  /**
   * The destination of a one-operand read-modify-write (inc/dec/neg/not, shifts): a register, or
   * memory of its own width or else the instruction's; sets the size and {@code u.kind}.
   */
  private void readModifyWriteDestination(Operand d, int viaReg, int viaMem) {
    if (d.isRegister()) {
      dst(d);
      size(d.size);
      u.kind = viaReg;
    } else if (d.isMemory()) {
      size(memSize(d));
      mem(d, u.size);
      u.kind = viaMem;
    } else {
      throw bad("destination cannot be an immediate");
    }
  }

  private void shift(int op) {
    if (ops.length != 1 && ops.length != 2) {
      throw bad("expected a count and a destination, or a destination");
    }
    u.op = op;
    Operand d = ops[ops.length - 1];
    if (ops.length == 1) {
      u.imm = 1;
    } else {
      Operand c = ops[0];
      if (c.isImmediate()) {
        u.imm = c.imm & 0xFF;
      } else if (c.isRegister() && c.reg == Registers.RCX && c.size == 1 && !c.highByte) {
        u.countFromCl = true;
      } else {
        throw bad("shift count must be an immediate or %cl");
      }
    }
    readModifyWriteDestination(d, Uop.SHIFT_R, Uop.SHIFT_M);
  }

  /** Sets the source of IMUL2/IMUL3/MULDIV from a register or memory operand. */
  private void regOrMemSource(Operand s, int size) {
    if (s.isRegister()) {
      if (s.size != size) {
        throw bad("operand sizes differ");
      }
      src(s);
    } else if (s.isMemory()) {
      mem(s, size);
      u.memSrc = true;
    } else {
      throw bad("source must be a register or memory");
    }
  }

  private void imul() {
    if (ops.length == 1) {
      mulDiv(Uop.OP_IMUL1);
      return;
    }
    if (ops.length == 2) {
      Operand d = reg(1);
      dst(d);
      size(d.size);
      if (ops[0].isImmediate()) {
        // "imul $imm, %reg" is "imul $imm, %reg, %reg".
        u.imm = ops[0].imm & u.mask;
        src(d);
        u.kind = Uop.IMUL3;
      } else {
        regOrMemSource(ops[0], d.size);
        u.kind = Uop.IMUL2;
      }
      return;
    }
    count(3);
    if (!ops[0].isImmediate()) {
      throw bad("three-operand imul takes an immediate first");
    }
    Operand d = reg(2);
    dst(d);
    size(d.size);
    u.imm = ops[0].imm & u.mask;
    regOrMemSource(ops[1], d.size);
    u.kind = Uop.IMUL3;
  }

  private void mulDiv(int op) {
    count(1);
    u.op = op;
    Operand s = ops[0];
    size(s.isMemory() ? memSize(s) : s.size);
    regOrMemSource(s, u.size);
    u.kind = Uop.MULDIV;
  }

  private void bitTest(int op) {
    count(2);
    u.op = op;
    u.writes = op != Uop.OP_BT;
    Operand off = ops[0];
    Operand b = ops[1];
    size(b.isMemory() ? (b.size != 0 ? b.size : (off.isRegister() ? off.size : in.size)) : b.size);
    if (u.size == 1) {
      throw bad("bit tests take 16-, 32- or 64-bit operands");
    }
    if (off.isImmediate()) {
      u.imm = off.imm & ((8L << u.sizeLog) - 1);
    } else if (off.isRegister()) {
      if (off.size != u.size) {
        throw bad("operand sizes differ");
      }
      src(off);
      u.offsetFromReg = true;
    } else {
      throw bad("bit offset must be an immediate or a register");
    }
    if (b.isRegister()) {
      dst(b);
      u.kind = Uop.BT_R;
    } else if (b.isMemory()) {
      mem(b, u.size);
      u.kind = Uop.BT_M;
    } else {
      throw bad("bit base must be a register or memory");
    }
  }

  private void branch(int direct, int viaReg, int viaMem) {
    size(8);
    if (in.target >= 0) {
      u.kind = direct;
      return;
    }
    count(1);
    Operand t = ops[0];
    if (t.isRegister()) {
      if (t.size != 8) {
        throw bad("indirect target register must be 64-bit");
      }
      src(t);
      u.kind = viaReg;
    } else if (t.isMemory()) {
      mem(t, 8);
      u.memSize = 8;
      u.kind = viaMem;
    } else {
      throw bad("branch without a target");
    }
  }

  private void exchangeRmw(int viaReg, int viaMem) {
    count(2);
    Operand s = reg(0);
    Operand d = ops[1];
    src(s);
    size(s.size);
    if (d.isRegister()) {
      if (d.size != s.size) {
        throw bad("operand sizes differ");
      }
      dst(d);
      u.kind = viaReg;
    } else if (d.isMemory()) {
      mem(d, s.size);
      u.kind = viaMem;
    } else {
      throw bad("destination cannot be an immediate");
    }
  }

  /** Whether a lock prefix is legal on this instruction (SDM vol. 2A, LOCK). */
  private boolean lockable() {
    switch (in.opcode) {
      case ADD:
      case ADC:
      case AND:
      case OR:
      case SBB:
      case SUB:
      case XOR:
      case INC:
      case DEC:
      case NEG:
      case NOT:
      case BTS:
      case BTR:
      case BTC:
      case CMPXCHG:
      case XADD:
      case XCHG:
        Operand d = ops.length == 0 ? null : ops[ops.length - 1];
        return d != null && (d.isMemory() || in.opcode == Opcode.XCHG && ops[0].isMemory());
      default:
        return false;
    }
  }
}
