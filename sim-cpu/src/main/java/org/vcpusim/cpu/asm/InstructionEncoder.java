package org.vcpusim.cpu.asm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Operand;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.isa.SourceLocation;

/**
 * Checks one instruction's operands against the forms its mnemonic accepts, infers the operation
 * size, and picks the encoding GNU as picks (binutils {@code opcodes/i386-opc.tbl} and {@code
 * gas/config/tc-i386.c}; Intel SDM vol. 2 for the opcodes):
 *
 * <ul>
 *   <li>size: the suffix, else the register operands, which must agree; with neither, an error
 *       ("no instruction mnemonic suffix given and no register operands"), except where only one
 *       size exists ({@code push pop call jmp} 8, {@code set}<i>cc</i> 1);
 *   <li>ALU immediates: the sign-extended {@code imm8} form when the value is a parse-time constant
 *       that fits a signed byte, else the accumulator short form for {@code %al/%ax/%eax/%rax},
 *       else the full immediate ({@code imm32} sign-extended for 64-bit operations);
 *   <li>{@code mov $imm, %r64}: {@code imm32} sign-extended ({@code c7 /0}) when the value fits or
 *       is not yet known, else {@code movabs} with {@code imm64}; {@code mov} between the
 *       accumulator and an absolute address that does not fit 32 bits uses the {@code moffs64}
 *       form;
 *   <li>memory: no displacement when it is a constant 0 and the base is not {@code %rbp/%r13},
 *       {@code disp8} when a constant fits, else {@code disp32}; {@code %rsp/%r12} bases need a
 *       SIB byte; no base means SIB with {@code disp32}; {@code %rip} means {@code disp32};
 *   <li>shifts by a constant 1 use the short {@code d0/d1} form;
 *   <li>{@code xchg} with the accumulator uses {@code 90+r} (but {@code xchg %eax,%eax} stays
 *       {@code 87 c0}, since {@code 90} would not zero-extend).
 * </ul>
 *
 * <p>Rejects everything outside the subset with an {@link AsmException} naming the offending
 * operand.
 */
final class InstructionEncoder {
  private final Mnemonic m;
  private final List<AsmOperand> ops;
  private final SourceLocation mnemonicLoc;
  private final String text;
  private final boolean lock;
  private final SourceLocation lockLoc;
  private final boolean lockStatement;
  private final Encoding e = new Encoding();
  private final List<OperandSpec> specs = new ArrayList<>();
  private int size;

  private InstructionEncoder(Mnemonic m, List<AsmOperand> ops, SourceLocation mnemonicLoc,
      String text, boolean lock, SourceLocation lockLoc, boolean lockStatement) {
    this.m = m;
    this.ops = ops;
    this.mnemonicLoc = mnemonicLoc;
    this.text = text;
    this.lock = lock;
    this.lockLoc = lockLoc;
    this.lockStatement = lockStatement;
  }

  /**
   * Encodes one instruction.
   *
   * @param loc where the instruction (or its {@code lock} prefix) starts
   * @param mnemonicLoc where the mnemonic is written
   * @param text the normalized source text
   * @param lockLoc where {@code lock} is written, when {@code lock}
   * @param lockStatement {@code lock} was a statement of its own ({@code lock;} or a line before),
   *     which gas emits as a separate prefix byte ahead of all the instruction's own prefixes
   */
  static Item.Insn encode(Mnemonic m, List<AsmOperand> ops, SourceLocation loc,
      SourceLocation mnemonicLoc, String text, boolean lock, SourceLocation lockLoc,
      boolean lockStatement) {
    InstructionEncoder enc =
        new InstructionEncoder(m, ops, mnemonicLoc, text, lock, lockLoc, lockStatement);
    enc.encode();
    return new Item.Insn(loc, enc.e, m.opcode, m.condition, lock, enc.size, List.copyOf(enc.specs),
        text);
  }

  private void encode() {
    for (AsmOperand op : ops) {
      if (op.star && m.family != Mnemonic.Family.CALL && m.family != Mnemonic.Family.JMP) {
        throw err(op, "'*' is only allowed on an indirect jmp or call", "an operand without '*'");
      }
      if (op.needsRex()) {
        e.rexRequired = true;
      }
    }
    switch (m.family) {
      case ALU:
        alu();
        break;
      case TEST:
        test();
        break;
      case INC_DEC:
        unary(0xFE);
        break;
      case GROUP3:
        unary(0xF6);
        break;
      case IMUL:
        imul();
        break;
      case SHIFT:
        shift();
        break;
      case BIT_TEST:
        bitTest();
        break;
      case MOV:
        mov();
        break;
      case MOVABS:
        movabs();
        break;
      case MOV_EXTEND:
        movExtend();
        break;
      case LEA:
        lea();
        break;
      case XCHG:
        xchg();
        break;
      case CMPXCHG_XADD:
        cmpxchgXadd();
        break;
      case PUSH:
        push();
        break;
      case POP:
        pop();
        break;
      case CALL:
      case JMP:
        callOrJump();
        break;
      case JCC:
        jcc();
        break;
      case RET:
        ret();
        break;
      case SETCC:
        setcc();
        break;
      case CMOV:
        cmov();
        break;
      case FIXED:
        fixed();
        break;
      case NOP:
        nop();
        break;
      case PREFETCH:
        prefetch();
        break;
      case SEGMENT_BASE:
        segmentBase();
        break;
      case RDPID:
        rdpid();
        break;
      case UD1:
        ud1();
        break;
      default:
        throw new IllegalStateException(m.family.toString());
    }
    if (lock) {
      checkLockable();
    }
    if (e.needsRex()) {
      for (AsmOperand op : ops) {
        if (op.isRegister() && op.high) {
          throw err(op, "can't encode register '" + op.registerName()
                  + "' in an instruction requiring a REX prefix",
              "%al, %cl, %dl or %bl instead of a high-byte register");
        }
      }
    }
  }

  // ---------------------------------------------------------------- families

  private void alu() {
    sizedSourceAndDestination();
    AsmOperand src = ops.get(0);
    AsmOperand dst = ops.get(1);
    int n = m.digit;
    if (src.isImmediate()) {
      long[] range = immediateRange(size);
      Fold f = constantIn(src, range);
      if (size == 1) {
        if (dst.isAccumulator()) {
          opcode(8 * n + 4);
        } else {
          opcode(0x80);
          modrm(n, dst);
        }
        immediate(src, f, 1, range);
      } else if (f.isConst() && fitsByte(OperandSpec.signExtend(f.value, size))) {
        opcode(0x83);
        modrm(n, dst);
        immediate8(src, OperandSpec.signExtend(f.value, size));
      } else {
        if (dst.isRegister() && dst.isAccumulator()) {
          opcode(8 * n + 5);
        } else {
          opcode(0x81);
          modrm(n, dst);
        }
        immediate(src, f, Math.min(size, 4), range);
      }
      specs.add(OperandSpec.immediate(size));
      specs.add(spec(dst, size));
    } else if (src.isRegister()) {
      opcode(8 * n + (size == 1 ? 0 : 1));
      reg(src);
      rm(dst);
      specs.add(spec(src, size));
      specs.add(spec(dst, size));
    } else {
      opcode(8 * n + (size == 1 ? 2 : 3));
      reg(dst);
      rm(src);
      specs.add(spec(src, size));
      specs.add(spec(dst, size));
    }
  }

  private void test() {
    sizedSourceAndDestination();
    AsmOperand a = ops.get(0);
    AsmOperand b = ops.get(1);
    if (a.isImmediate()) {
      long[] range = immediateRange(size);
      Fold f = constantIn(a, range);
      if (b.isAccumulator()) {
        opcode(size == 1 ? 0xA8 : 0xA9);
      } else {
        opcode(size == 1 ? 0xF6 : 0xF7);
        modrm(0, b);
      }
      immediate(a, f, Math.min(size, 4), range);
      specs.add(OperandSpec.immediate(size));
    } else {
      opcode(size == 1 ? 0x84 : 0x85);
      registerAndOther(a, b);
      specs.add(spec(a, size));
    }
    specs.add(spec(b, size));
  }

  /** inc/dec ({@code fe/ff /digit}) and not/neg/mul/div/idiv ({@code f6/f7 /digit}). */
  private void unary(int byteOpcode) {
    operands(1);
    AsmOperand op = ops.get(0);
    registerOrMemory(op);
    setSize(sizeFrom(op));
    opcode(byteOpcode + (size == 1 ? 0 : 1));
    modrm(m.digit, op);
    specs.add(spec(op, size));
  }

  private void imul() {
    if (ops.size() == 1) {
      unary(0xF6);
      return;
    }
    operands(2, 3);
    if (ops.size() == 2 && !ops.get(0).isImmediate()) {
      AsmOperand src = ops.get(0);
      AsmOperand dst = ops.get(1);
      registerDestination(dst);
      setSize(sizeFrom(src, dst));
      multiByteOnly(dst);
      opcode(0x0F, 0xAF);
      reg(dst);
      rm(src);
      specs.add(spec(src, size));
      specs.add(spec(dst, size));
      return;
    }
    AsmOperand imm = ops.get(0);
    AsmOperand src = ops.get(1);
    AsmOperand dst = ops.size() == 3 ? ops.get(2) : ops.get(1);
    if (!imm.isImmediate()) {
      throw err(imm, "three-operand imul needs an immediate first", "$imm, r/m, reg");
    }
    registerOrMemory(src);
    registerDestination(dst);
    setSize(sizeFrom(src, dst));
    multiByteOnly(dst);
    long[] range = immediateRange(size);
    Fold f = constantIn(imm, range);
    if (f.isConst() && fitsByte(OperandSpec.signExtend(f.value, size))) {
      opcode(0x6B);
      reg(dst);
      rm(src);
      immediate8(imm, OperandSpec.signExtend(f.value, size));
    } else {
      opcode(0x69);
      reg(dst);
      rm(src);
      immediate(imm, f, Math.min(size, 4), range);
    }
    specs.add(OperandSpec.immediate(size));
    specs.add(spec(src, size));
    specs.add(spec(dst, size));
  }

  private void shift() {
    operands(1, 2);
    AsmOperand dst = ops.get(ops.size() - 1);
    registerOrMemory(dst);
    setSize(sizeFrom(dst));
    int base = size == 1 ? 0 : 1;
    if (ops.size() == 1) {
      shiftByOne(base, dst);
    } else {
      AsmOperand count = ops.get(0);
      if (count.isRegister()) {
        if (count.reg != Registers.RCX || count.size != 1 || count.high) {
          throw err(count, "shift count register must be %cl", "$imm or %cl");
        }
        opcode(0xD2 + base);
        modrm(m.digit, dst);
        specs.add(spec(count, 1));
      } else if (count.isImmediate()) {
        long[] range = {Byte.MIN_VALUE, 255};
        Fold f = constantIn(count, range);
        if (f.isConst() && f.value == 1) {
          shiftByOne(base, dst);
        } else {
          opcode(0xC0 + base);
          modrm(m.digit, dst);
          immediate(count, f, 1, range);
          specs.add(OperandSpec.immediate(1));
        }
      } else {
        throw err(count, "shift count must be an immediate or %cl", "$imm or %cl");
      }
    }
    specs.add(spec(dst, size));
  }

  /** The short {@code d0/d1 /digit} form, by an implicit 1. */
  private void shiftByOne(int base, AsmOperand dst) {
    opcode(0xD0 + base);
    modrm(m.digit, dst);
    specs.add(OperandSpec.of(Operand.immediate(1, 1)));
  }

  private void bitTest() {
    operands(2);
    AsmOperand bit = ops.get(0);
    AsmOperand base = ops.get(1);
    noImmediateDestination(base);
    if (bit.isMemory()) {
      throw err(bit, "bit offset cannot be a memory operand", "$imm or a register");
    }
    if (bit.isImmediate()) {
      setSize(sizeFrom(base));
      long[] range = {Byte.MIN_VALUE, 255};
      Fold f = constantIn(bit, range);
      opcode(0x0F, 0xBA);
      modrm(m.digit, base);
      immediate(bit, f, 1, range);
      specs.add(OperandSpec.immediate(1));
    } else {
      setSize(sizeFrom(bit, base));
      opcode(0x0F, m.opcodeByte);
      reg(bit);
      rm(base);
      specs.add(spec(bit, size));
    }
    specs.add(spec(base, size));
  }

  private void mov() {
    sizedSourceAndDestination();
    AsmOperand src = ops.get(0);
    AsmOperand dst = ops.get(1);
    if (src.isImmediate()) {
      Fold f = src.expr.fold();
      if (dst.isRegister()) {
        if (size == 8) {
          if (f.isConst() && !fitsInt(f.value)) {
            opcodePlusRegister(0xB8, dst);
            immediate(src, f, 8, new long[] {Long.MIN_VALUE, Long.MAX_VALUE});
          } else {
            long[] range = immediateRange(8);
            checkConstant(src, f, range);
            opcode(0xC7);
            modrm(0, dst);
            immediate(src, f, 4, range);
          }
        } else {
          long[] range = immediateRange(size);
          checkConstant(src, f, range);
          opcodePlusRegister(size == 1 ? 0xB0 : 0xB8, dst);
          immediate(src, f, size, range);
        }
      } else {
        long[] range = immediateRange(size);
        checkConstant(src, f, range);
        opcode(size == 1 ? 0xC6 : 0xC7);
        modrm(0, dst);
        immediate(src, f, Math.min(size, 4), range);
      }
      specs.add(OperandSpec.immediate(size));
      specs.add(spec(dst, size));
      return;
    }
    AsmOperand mem = src.isMemory() ? src : dst.isMemory() ? dst : null;
    AsmOperand acc = src.isMemory() ? dst : src;
    if (mem != null && mem.isAbsoluteMemory() && acc.isAccumulator()) {
      Fold f = mem.expr.fold();
      if (f.isConst() && !fitsInt(f.value)) {
        moffs(src.isMemory(), mem, f);
        specs.add(spec(src, size));
        specs.add(spec(dst, size));
        return;
      }
    }
    if (src.isRegister()) {
      opcode(size == 1 ? 0x88 : 0x89);
      reg(src);
      rm(dst);
    } else {
      opcode(size == 1 ? 0x8A : 0x8B);
      reg(dst);
      rm(src);
    }
    specs.add(spec(src, size));
    specs.add(spec(dst, size));
  }

  private void movabs() {
    operands(2);
    AsmOperand src = ops.get(0);
    AsmOperand dst = ops.get(1);
    noImmediateDestination(dst);
    if (src.isImmediate()) {
      registerDestination(dst);
      setSize(sizeFrom(dst));
      if (size != 8) {
        throw err(dst, "movabs $imm needs a 64-bit destination register", "a 64-bit register");
      }
      opcodePlusRegister(0xB8, dst);
      immediate(src, src.expr.fold(), 8, new long[] {Long.MIN_VALUE, Long.MAX_VALUE});
      specs.add(OperandSpec.immediate(8));
      specs.add(spec(dst, 8));
      return;
    }
    boolean load = src.isMemory();
    AsmOperand mem = load ? src : dst;
    AsmOperand acc = load ? dst : src;
    if (!mem.isAbsoluteMemory() || !acc.isAccumulator()) {
      throw err(load ? src : dst, "movabs moves between the accumulator and an absolute address",
          "movabs $imm64, %r64 or movabs addr, %al/%ax/%eax/%rax (or the reverse)");
    }
    setSize(sizeFrom(acc));
    moffs(load, mem, mem.expr.fold());
    specs.add(spec(src, size));
    specs.add(spec(dst, size));
  }

  /** {@code a0-a3}: accumulator to or from a 64-bit absolute address. */
  private void moffs(boolean load, AsmOperand mem, Fold f) {
    opcode((load ? 0xA0 : 0xA2) + (size == 1 ? 0 : 1));
    e.segmentPrefix = mem.segmentPrefix;
    e.dispSize = 8;
    e.dispOperand = mem;
    if (f.isConst()) {
      e.dispConst = f.value;
    } else {
      e.dispExpr = mem.expr;
    }
  }

  private void movExtend() {
    operands(2);
    AsmOperand src = ops.get(0);
    AsmOperand dst = ops.get(1);
    if (src.isImmediate()) {
      throw err(src, "the source of " + m.spelling + " cannot be an immediate",
          "a register or memory source");
    }
    registerDestination(dst);
    int dstSize = m.destinationSize != 0 ? m.destinationSize : dst.size;
    int srcSize = m.sourceSize;
    if (srcSize == 0) {
      if (!src.isRegister()) {
        throw err(src, "ambiguous source size for " + m.spelling,
            "a register source, or a suffixed form such as movzbl or movswq");
      }
      srcSize = src.size;
    }
    if (dst.size != dstSize) {
      throw err(dst, "register '" + dst.registerName() + "' not allowed with '" + m.spelling + "'",
          bits(dstSize) + " destination register");
    }
    if (src.isRegister() && src.size != srcSize) {
      throw err(src, "register '" + src.registerName() + "' not allowed with '" + m.spelling
          + "'", bits(srcSize) + " source register");
    }
    boolean zero = m.opcode == Opcode.MOVZX;
    if (dstSize <= srcSize || dstSize == 1 || (srcSize == 4 && (zero || dstSize != 8))) {
      throw err(src, "cannot " + (zero ? "zero" : "sign") + "-extend " + bits(srcSize)
          + " into " + bits(dstSize), zero ? "movzb[wlq] or movzw[lq]"
          : "movsb[wlq], movsw[lq] or movslq");
    }
    setSize(dstSize);
    if (srcSize == 4) {
      opcode(0x63);
    } else {
      opcode(0x0F, (zero ? 0xB6 : 0xBE) + (srcSize == 2 ? 1 : 0));
    }
    reg(dst);
    rm(src);
    specs.add(spec(src, srcSize));
    specs.add(spec(dst, dstSize));
  }

  private void lea() {
    operands(2);
    AsmOperand src = ops.get(0);
    AsmOperand dst = ops.get(1);
    if (!src.isMemory()) {
      throw err(src, "lea needs a memory operand", "an address such as 8(%rax,%rbx,4)");
    }
    if (src.segmentPrefix != 0) {
      throw err(src, "lea computes an address without a segment base",
          "a memory operand without a segment override");
    }
    registerDestination(dst);
    setSize(sizeFrom(dst));
    opcode(0x8D);
    reg(dst);
    rm(src);
    specs.add(spec(src, 0));
    specs.add(spec(dst, size));
  }

  private void xchg() {
    operands(2);
    AsmOperand a = ops.get(0);
    AsmOperand b = ops.get(1);
    for (AsmOperand op : ops) {
      if (op.isImmediate()) {
        throw err(op, "xchg cannot take an immediate", "registers or memory");
      }
    }
    noTwoMemory(a, b);
    setSize(sizeFrom(a, b));
    if (a.isRegister() && b.isRegister() && size != 1 && (a.isAccumulator() || b.isAccumulator())) {
      AsmOperand other = a.isAccumulator() ? b : a;
      if (other.isAccumulator() && size == 4) {
        opcode(0x87); // 90 would not zero-extend %eax
        reg(a);
        rm(b);
      } else if (other.isAccumulator() && size == 8) {
        e.rexW = false; // gas encodes xchg %rax,%rax as a plain nop
        opcode(0x90);
      } else {
        opcodePlusRegister(0x90, other);
      }
    } else {
      opcode(size == 1 ? 0x86 : 0x87);
      registerAndOther(a, b);
    }
    specs.add(spec(a, size));
    specs.add(spec(b, size));
  }

  private void cmpxchgXadd() {
    operands(2);
    AsmOperand src = ops.get(0);
    AsmOperand dst = ops.get(1);
    if (!src.isRegister()) {
      throw err(src, "the source of " + m.spelling + " must be a register",
          "a register, then a register or memory destination");
    }
    registerOrMemory(dst);
    setSize(sizeFrom(src, dst));
    opcode(0x0F, m.opcodeByte + (size == 1 ? 0 : 1));
    reg(src);
    rm(dst);
    specs.add(spec(src, size));
    specs.add(spec(dst, size));
  }

  private void push() {
    operands(1);
    AsmOperand op = ops.get(0);
    size = 8;
    if (op.isImmediate()) {
      checkSuffixIs8();
      long[] range = immediateRange(8);
      Fold f = constantIn(op, range);
      if (f.isConst() && fitsByte(f.value)) {
        opcode(0x6A);
        immediate8(op, f.value);
      } else {
        opcode(0x68);
        immediate(op, f, 4, range);
      }
      specs.add(OperandSpec.immediate(8));
      return;
    }
    pushPop(op, 0x50, 0xFF, 6);
  }

  private void pop() {
    operands(1);
    AsmOperand op = ops.get(0);
    size = 8;
    if (op.isImmediate()) {
      throw err(op, "pop needs a register or memory destination", "a 64-bit register or memory");
    }
    pushPop(op, 0x58, 0x8F, 0);
  }

  private void pushPop(AsmOperand op, int registerOpcode, int memoryOpcode, int digit) {
    if (op.isRegister()) {
      if (op.size != 8) {
        throw err(op, "push and pop need a 64-bit register in 64-bit mode", "a 64-bit register");
      }
      checkSuffixIs8();
      opcodePlusRegister(registerOpcode, op);
    } else {
      checkSuffixIs8();
      opcode(memoryOpcode);
      modrm(digit, op);
    }
    specs.add(spec(op, 8));
  }

  private void callOrJump() {
    operands(1);
    AsmOperand op = ops.get(0);
    size = 8;
    checkSuffixIs8();
    if (op.star) {
      if (op.isRegister() && op.size != 8) {
        throw err(op, "indirect " + m.spelling + " needs a 64-bit register", "*%r64 or *mem");
      }
      opcode(0xFF);
      modrm(m.digit, op);
      specs.add(spec(op, 8));
      return;
    }
    if (op.isRegister() || (op.isMemory() && !op.isAbsoluteMemory())) {
      throw err(op, "indirect " + m.spelling + " without '*'", "*" + op.text);
    }
    if (op.isImmediate() || op.segmentPrefix != 0) {
      throw err(op, "invalid target for " + m.spelling, "a label, or *%reg / *mem");
    }
    if (m.family == Mnemonic.Family.JMP && m.suffixSize != 0) {
      // gas has no suffixed direct jmp ("invalid instruction suffix for `jmp'"); callq is fine.
      throw errMnemonic("invalid size suffix for a direct '" + m.spelling + "'",
          "jmp without suffix (jmpq is only for indirect jumps)");
    }
    e.target = op.expr;
    if (m.family == Mnemonic.Family.CALL) {
      e.isCall = true;
      e.relSize = 4;
    } else {
      e.relSize = 1;
    }
  }

  private void jcc() {
    operands(1);
    AsmOperand op = ops.get(0);
    if (op.star || !op.isMemory() || !op.isAbsoluteMemory() || op.segmentPrefix != 0) {
      throw err(op, "conditional jumps are direct only", "a label such as 1f or .Lloop");
    }
    e.target = op.expr;
    e.jccCode = m.condition.code();
    e.relSize = 1;
    size = 0;
  }

  private void ret() {
    operands(0, 1);
    checkSuffixIs8();
    size = 8;
    if (ops.isEmpty()) {
      opcode(0xC3);
      return;
    }
    AsmOperand imm = ops.get(0);
    if (!imm.isImmediate()) {
      throw err(imm, "ret takes only an immediate", "$imm16");
    }
    long[] range = {0, 0xFFFF};
    Fold f = constantIn(imm, range);
    opcode(0xC2);
    immediate(imm, f, 2, range);
    specs.add(OperandSpec.unsignedImmediate(2));
  }

  private void setcc() {
    operands(1);
    AsmOperand op = ops.get(0);
    registerOrMemory(op);
    setSize(sizeFromOrDefault(1, op));
    opcode(0x0F, 0x90 + m.condition.code());
    modrm(0, op);
    specs.add(spec(op, 1));
  }

  private void cmov() {
    registerOrMemoryIntoRegister(0x40 + m.condition.code(), true);
  }

  /**
   * {@code 0f op /r} with a register or memory source and a register destination (cmov, ud1);
   * a memory source's spec has the operation size when {@code sizedMemory}, else none.
   */
  private void registerOrMemoryIntoRegister(int secondOpcodeByte, boolean sizedMemory) {
    operands(2);
    AsmOperand src = ops.get(0);
    AsmOperand dst = ops.get(1);
    registerOrMemory(src);
    registerDestination(dst);
    setSize(sizeFrom(src, dst));
    opcode(0x0F, secondOpcodeByte);
    reg(dst);
    rm(src);
    specs.add(spec(src, sizedMemory ? size : 0));
    specs.add(spec(dst, size));
  }

  private void fixed() {
    operands(0);
    e.opcode = m.fixedBytes.clone();
    size = m.fixedSize;
  }

  private void nop() {
    operands(0, 1);
    if (ops.isEmpty()) {
      if (m.suffixSize != 0) {
        throw errMnemonic("'" + m.spelling + "' needs an operand", "nop, or " + m.spelling
            + " with a register or memory operand");
      }
      opcode(0x90);
      size = 0;
      return;
    }
    AsmOperand op = ops.get(0);
    registerOrMemory(op);
    setSize(sizeFrom(op));
    opcode(0x0F, 0x1F);
    modrm(0, op);
    specs.add(op.isRegister() ? OperandSpec.register(op) : OperandSpec.memory(op, 0));
    size = 0;
  }

  private void prefetch() {
    operands(1);
    AsmOperand op = ops.get(0);
    if (!op.isMemory()) {
      throw err(op, m.spelling + " needs a memory operand", "an address such as (%rax)");
    }
    opcode(0x0F, m.opcodeByte);
    modrm(m.digit, op);
    specs.add(OperandSpec.memory(op, 0));
    size = 0;
  }

  private void segmentBase() {
    operands(1);
    AsmOperand op = ops.get(0);
    if (!op.isRegister()) {
      throw err(op, m.spelling + " needs a register", "a 32- or 64-bit register");
    }
    setSize(sizeFrom(op));
    e.mandatoryPrefix = 0xF3;
    opcode(0x0F, 0xAE);
    modrm(m.digit, op);
    specs.add(spec(op, size));
  }

  private void rdpid() {
    operands(1);
    AsmOperand op = ops.get(0);
    if (!op.isRegister() || op.size != 8) {
      throw err(op, "rdpid needs a 64-bit register in 64-bit mode", "a 64-bit register");
    }
    size = 8;
    e.mandatoryPrefix = 0xF3;
    opcode(0x0F, 0xC7);
    modrm(7, op);
    specs.add(spec(op, 8));
  }

  private void ud1() {
    registerOrMemoryIntoRegister(0xB9, false);
  }

  private void checkLockable() {
    boolean lockable;
    AsmOperand dst = ops.isEmpty() ? null : ops.get(ops.size() - 1);
    switch (m.family) {
      case ALU:
        lockable = m.opcode != Opcode.CMP;
        break;
      case INC_DEC:
      case CMPXCHG_XADD:
        lockable = true;
        break;
      case GROUP3:
        lockable = m.digit == 2 || m.digit == 3; // not, neg
        break;
      case BIT_TEST:
        lockable = m.opcode != Opcode.BT;
        break;
      case XCHG:
        lockable = true;
        if (dst != null && !dst.isMemory() && ops.get(0).isMemory()) {
          dst = ops.get(0);
        }
        break;
      default:
        lockable = false;
    }
    if (!lockable || dst == null || !dst.isMemory()) {
      throw new AsmException(lockLoc, "'lock' prefix on an instruction that cannot be locked",
          "a read-modify-write instruction with a memory destination (add adc sub sbb and or xor"
              + " inc dec not neg bts btr btc xchg cmpxchg xadd)",
          text);
    }
    e.lock = true;
    e.lockFirst = lockStatement;
  }

  // ---------------------------------------------------------------- operand checks

  private void operands(int... allowed) {
    for (int n : allowed) {
      if (ops.size() == n) {
        return;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < allowed.length; i++) {
      if (i > 0) {
        sb.append(i == allowed.length - 1 ? " or " : ", ");
      }
      sb.append(allowed[i]);
    }
    throw errMnemonic("wrong number of operands for '" + m.spelling + "' (" + ops.size() + ")",
        sb + " operand" + (allowed.length == 1 && allowed[0] == 1 ? "" : "s"));
  }

  /**
   * The checks of {@code op src, dst} in alu, test and mov: two operands, no immediate
   * destination, at most one memory operand; then the size from the suffix or the registers.
   */
  private void sizedSourceAndDestination() {
    operands(2);
    AsmOperand src = ops.get(0);
    AsmOperand dst = ops.get(1);
    noImmediateDestination(dst);
    noTwoMemory(src, dst);
    setSize(sizeFrom(src, dst));
  }

  private void noImmediateDestination(AsmOperand dst) {
    if (dst.isImmediate()) {
      throw err(dst, "an immediate cannot be the destination", "a register or memory destination");
    }
  }

  private void noTwoMemory(AsmOperand a, AsmOperand b) {
    if (a.isMemory() && b.isMemory()) {
      throw err(b, "too many memory operands for '" + m.spelling + "'",
          "at most one memory operand");
    }
  }

  private void registerOrMemory(AsmOperand op) {
    if (op.isImmediate()) {
      throw err(op, "'" + m.spelling + "' cannot take an immediate here",
          "a register or memory operand");
    }
  }

  private void registerDestination(AsmOperand dst) {
    if (!dst.isRegister()) {
      throw err(dst, "the destination of '" + m.spelling + "' must be a register", "a register");
    }
  }

  private void multiByteOnly(AsmOperand at) {
    if (size == 1) {
      throw err(at, "'" + m.spelling + "' with two or three operands has no 8-bit form",
          "16-, 32- or 64-bit operands");
    }
  }

  private void checkSuffixIs8() {
    if (m.suffixSize != 0 && m.suffixSize != 8) {
      throw errMnemonic("invalid size suffix for '" + m.spelling + "' in 64-bit mode",
          "no suffix or 'q'");
    }
  }

  /** The operation size: suffix, else the register operands among {@code candidates}. */
  private int sizeFrom(AsmOperand... candidates) {
    int s = sizeFromOrDefault(0, candidates);
    if (s == 0) {
      throw errMnemonic("no instruction mnemonic suffix given and no register operands; can't size '"
              + m.spelling + "'",
          "a size suffix (b, w, l or q) or a register operand");
    }
    return s;
  }

  private int sizeFromOrDefault(int fallback, AsmOperand... candidates) {
    int s = m.suffixSize;
    AsmOperand first = null;
    for (AsmOperand c : candidates) {
      if (!c.isRegister()) {
        continue;
      }
      if (s == 0) {
        s = c.size;
        first = c;
      } else if (c.size != s) {
        if (first == null) {
          throw err(c, "register '" + c.registerName() + "' not allowed with '" + m.spelling + "'",
              bits(s) + " register");
        }
        throw err(c, "register size mismatch: '" + c.registerName() + "' is " + bits(c.size)
                + " but '" + first.registerName() + "' is " + bits(s),
            bits(s) + " register");
      }
    }
    if (s == 0) {
      s = fallback;
    }
    if (s != 0 && !m.allows(s)) {
      AsmOperand at = first;
      for (AsmOperand c : candidates) {
        if (at == null && c.isRegister()) {
          at = c;
        }
      }
      String problem = "'" + m.spelling + "' has no " + bits(s) + " form";
      String expected = allowedText();
      if (at != null) {
        throw err(at, problem, expected);
      }
      throw errMnemonic(problem, expected);
    }
    return s;
  }

  private String allowedText() {
    StringBuilder sb = new StringBuilder();
    for (int s : new int[] {1, 2, 4, 8}) {
      if (m.allows(s)) {
        if (sb.length() > 0) {
          sb.append(", ");
        }
        sb.append(s * 8);
      }
    }
    return sb + "-bit operands";
  }

  private static String bits(int size) {
    return (size * 8) + "-bit";
  }

  /** Immediate range for an operation of {@code size} bytes (64-bit: sign-extended imm32). */
  private static long[] immediateRange(int size) {
    if (size == 8) {
      return new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
    }
    return new long[] {-(1L << (8 * size - 1)), (1L << (8 * size)) - 1};
  }

  /** The folded value of immediate {@code op}, checked against {@code range} when constant. */
  private Fold constantIn(AsmOperand op, long[] range) {
    Fold f = op.expr.fold();
    checkConstant(op, f, range);
    return f;
  }

  private void checkConstant(AsmOperand op, Fold f, long[] range) {
    if (f.isConst() && (f.value < range[0] || f.value > range[1])) {
      throw err(op, String.format(Locale.ROOT, "immediate %s out of range for '%s'",
              hex(f.value), m.spelling),
          Encoding.rangeText(range[0], range[1]));
    }
  }

  private static String hex(long v) {
    return v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v);
  }

  private static boolean fitsByte(long v) {
    return v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
  }

  private static boolean fitsInt(long v) {
    return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
  }

  // ---------------------------------------------------------------- encoding helpers

  private void setSize(int s) {
    size = s;
    e.operandSize16 = s == 2;
    e.rexW = s == 8;
  }

  private void opcode(int... bytes) {
    e.opcode = bytes;
  }

  /** {@code base + (reg & 7)}, REX.B for r8..r15. */
  private void opcodePlusRegister(int base, AsmOperand r) {
    e.opcode = new int[] {base + (r.high ? r.reg + 4 : r.reg & 7)};
    e.rexB = r.high ? 0 : r.reg >> 3;
  }

  private void reg(AsmOperand r) {
    e.regField = r.reg & 7;
    e.rexR = r.reg >> 3;
    if (r.high) {
      e.regField = r.reg + 4;
    }
  }

  /** ModRM.reg: the register of {@code a}, {@code b} ({@code a} if both are); r/m: the other. */
  private void registerAndOther(AsmOperand a, AsmOperand b) {
    reg(a.isRegister() ? a : b);
    rm(a.isRegister() ? b : a);
  }

  private void modrm(int digit, AsmOperand rmOperand) {
    e.regField = digit;
    rm(rmOperand);
  }

  private void rm(AsmOperand op) {
    e.hasModrm = true;
    if (op.isRegister()) {
      e.mod = 3;
      e.rm = op.high ? op.reg + 4 : op.reg & 7;
      e.rexB = op.high ? 0 : op.reg >> 3;
      return;
    }
    memory(op);
  }

  private void memory(AsmOperand op) {
    e.segmentPrefix = op.segmentPrefix;
    e.dispOperand = op;
    Fold f = op.expr == null ? Fold.constant(0) : op.expr.fold();
    if (f.isConst()) {
      e.dispConst = f.value;
    } else {
      e.dispExpr = op.expr;
    }
    if (op.base == Registers.RIP) {
      e.mod = 0;
      e.rm = 5;
      e.dispSize = 4;
      e.dispPcRelative = true;
      checkDisplacement(op, f);
      return;
    }
    if (op.base == Registers.NONE) {
      // SIB with no base: disp32, index 100 = none when there is no index register.
      e.mod = 0;
      sib(op, 5);
      e.dispSize = 4;
      checkDisplacement(op, f);
      return;
    }
    e.rexB = op.base >> 3;
    if (op.index == Registers.NONE && (op.base & 7) != 4) {
      e.rm = op.base & 7;
    } else {
      sib(op, op.base & 7);
    }
    if (f.isConst() && f.value == 0 && (op.base & 7) != 5) {
      e.mod = 0;
      e.dispSize = 0;
    } else if (f.isConst() && fitsByte(f.value)) {
      e.mod = 1;
      e.dispSize = 1;
    } else {
      e.mod = 2;
      e.dispSize = 4;
      checkDisplacement(op, f);
    }
  }

  /** ModRM.rm = 100 and a SIB byte: {@code op}'s scale and index (100: none), {@code base}. */
  private void sib(AsmOperand op, int base) {
    e.rm = 4;
    e.hasSib = true;
    int index = op.index == Registers.NONE ? 4 : op.index & 7;
    e.sib = (scaleBits(op.scale) << 6) | (index << 3) | base;
    e.rexX = op.index == Registers.NONE ? 0 : op.index >> 3;
  }

  private void checkDisplacement(AsmOperand op, Fold f) {
    if (f.isConst() && !fitsInt(f.value)) {
      throw err(op, hex(f.value) + " out of range of signed 32-bit displacement",
          "a displacement from -0x80000000 to 0x7fffffff");
    }
  }

  private static int scaleBits(int scale) {
    return Integer.numberOfTrailingZeros(scale);
  }

  private void immediate(AsmOperand op, Fold f, int fieldSize, long[] range) {
    e.immSize = fieldSize;
    e.immOperand = op;
    e.immMin = range[0];
    e.immMax = range[1];
    if (f.isConst()) {
      e.immConst = f.value;
    } else {
      e.immExpr = op.expr;
    }
  }

  private void immediate8(AsmOperand op, long value) {
    e.immSize = 1;
    e.immOperand = op;
    e.immMin = Byte.MIN_VALUE;
    e.immMax = Byte.MAX_VALUE;
    e.immConst = value;
  }

  private OperandSpec spec(AsmOperand op, int memorySize) {
    if (op.isRegister()) {
      return OperandSpec.register(op);
    }
    if (op.isImmediate()) {
      return OperandSpec.immediate(memorySize == 0 ? 8 : memorySize);
    }
    return OperandSpec.memory(op, memorySize);
  }

  private AsmException err(AsmOperand op, String problem, String expected) {
    return new AsmException(op.loc, problem, expected, op.text);
  }

  private AsmException errMnemonic(String problem, String expected) {
    return new AsmException(mnemonicLoc, problem, expected, text);
  }
}
