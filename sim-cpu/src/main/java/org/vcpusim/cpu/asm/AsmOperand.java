package org.vcpusim.cpu.asm;

import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.isa.Segment;
import org.vcpusim.cpu.isa.SourceLocation;

/**
 * One operand as written in AT&amp;T syntax, before the instruction is encoded: a register
 * ({@code %eax}), an immediate ({@code $expr}) or a memory reference ({@code
 * %seg:disp(base,index,scale)}), possibly preceded by {@code *} (indirect jump or call). A bare
 * expression is a memory reference with only a displacement; for a direct jump or call it is the
 * target.
 */
final class AsmOperand {
  enum Kind {
    REGISTER,
    IMMEDIATE,
    MEMORY
  }

  final Kind kind;
  final SourceLocation loc;
  /** The operand's source text, for messages and listings. */
  final String text;
  /** Written with a leading {@code *}. */
  final boolean star;

  // REGISTER
  final int reg;
  final int size;
  final boolean high;

  /** IMMEDIATE: the value; MEMORY: the displacement, or null when absent. */
  final Expr expr;

  // MEMORY
  /** The segment-override prefix byte (0x64 %fs, 0x65 %gs, 0x2e %cs, 0x3e %ds, 0x26 %es, 0x36 %ss) or 0. */
  final int segmentPrefix;
  final int base;
  final int index;
  final int scale;

  private AsmOperand(Kind kind, SourceLocation loc, String text, boolean star, int reg, int size,
      boolean high, Expr expr, int segmentPrefix, int base, int index, int scale) {
    this.kind = kind;
    this.loc = loc;
    this.text = text;
    this.star = star;
    this.reg = reg;
    this.size = size;
    this.high = high;
    this.expr = expr;
    this.segmentPrefix = segmentPrefix;
    this.base = base;
    this.index = index;
    this.scale = scale;
  }

  static AsmOperand register(SourceLocation loc, String text, boolean star, int reg, int size,
      boolean high) {
    return new AsmOperand(Kind.REGISTER, loc, text, star, reg, size, high, null, 0,
        Registers.NONE, Registers.NONE, 1);
  }

  static AsmOperand immediate(SourceLocation loc, String text, Expr expr) {
    return new AsmOperand(Kind.IMMEDIATE, loc, text, false, Registers.NONE, 0, false, expr, 0,
        Registers.NONE, Registers.NONE, 1);
  }

  static AsmOperand memory(SourceLocation loc, String text, boolean star, int segmentPrefix,
      Expr disp, int base, int index, int scale) {
    return new AsmOperand(Kind.MEMORY, loc, text, star, Registers.NONE, 0, false, disp,
        segmentPrefix, base, index, scale);
  }

  boolean isRegister() {
    return kind == Kind.REGISTER;
  }

  boolean isImmediate() {
    return kind == Kind.IMMEDIATE;
  }

  boolean isMemory() {
    return kind == Kind.MEMORY;
  }

  /** A register or memory operand (what ModRM's r/m field can hold). */
  boolean isRegisterOrMemory() {
    return kind != Kind.IMMEDIATE;
  }

  /** True for {@code %al}, {@code %ax}, {@code %eax}, {@code %rax} (not {@code %ah}). */
  boolean isAccumulator() {
    return kind == Kind.REGISTER && reg == Registers.RAX && !high;
  }

  /** True for a memory reference with no base and no index: {@code sym}, {@code %fs:0x28}. */
  boolean isAbsoluteMemory() {
    return kind == Kind.MEMORY && base == Registers.NONE && index == Registers.NONE;
  }

  /** True for a byte register that needs a REX prefix: {@code %spl %bpl %sil %dil}. */
  boolean needsRex() {
    return kind == Kind.REGISTER && size == 1 && !high && reg >= 4 && reg <= 7;
  }

  /** The segment as the decoded form has it: only FS and GS carry a base in 64-bit mode. */
  Segment segment() {
    switch (segmentPrefix) {
      case 0x64:
        return Segment.FS;
      case 0x65:
        return Segment.GS;
      default:
        return Segment.NONE;
    }
  }

  /** The register's AT&amp;T name with {@code %}. */
  String registerName() {
    return "%" + Registers.name(reg, size, high);
  }
}
