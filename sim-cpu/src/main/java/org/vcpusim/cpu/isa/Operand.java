package org.vcpusim.cpu.isa;

/**
 * One operand of a decoded instruction: a register view, an immediate, or a memory reference
 * {@code seg:disp(base, index, scale)}.
 *
 * <p>Sizes are in bytes (1, 2, 4, 8). For a memory operand the size is the width of the access;
 * {@code 0} means "no access of its own" (the operand of {@code lea}, {@code prefetcht0},
 * {@code nopl}, or of an indirect {@code jmp *mem}, which reads 8).
 *
 * <p>RIP-relative addressing follows the hardware: {@code base == Registers.RIP} and the effective
 * address is the address of the next instruction plus {@link #disp}. The assembler stores in
 * {@code disp} the displacement as it would be encoded: for {@code sym(%rip)} that is {@code sym -
 * next_ip}, for {@code 0x53053053(%rip)} it is the constant itself (GNU as semantics).
 *
 * <p>Instances are immutable and may be shared between instructions.
 */
public final class Operand {
  /** What an operand is. */
  public enum Kind {
    REGISTER,
    IMMEDIATE,
    MEMORY
  }

  public final Kind kind;
  /** Size in bytes of the register view, the immediate's effective width, or the memory access. */
  public final int size;
  /** REGISTER: 0..15. Otherwise {@link Registers#NONE}. */
  public final int reg;
  /** REGISTER: true for {@code %ah %ch %dh %bh}. */
  public final boolean highByte;
  /** IMMEDIATE: the value, sign-extended to 64 bits. */
  public final long imm;
  /** MEMORY: the segment override. */
  public final Segment segment;
  /** MEMORY: 0..15, {@link Registers#RIP} or {@link Registers#NONE}. */
  public final int base;
  /** MEMORY: 0..15 (never RSP) or {@link Registers#NONE}. */
  public final int index;
  /** MEMORY: 1, 2, 4 or 8. */
  public final int scale;
  /** MEMORY: the displacement (see class comment for RIP-relative operands). */
  public final long disp;

  private Operand(
      Kind kind,
      int size,
      int reg,
      boolean highByte,
      long imm,
      Segment segment,
      int base,
      int index,
      int scale,
      long disp) {
    this.kind = kind;
    this.size = size;
    this.reg = reg;
    this.highByte = highByte;
    this.imm = imm;
    this.segment = segment;
    this.base = base;
    this.index = index;
    this.scale = scale;
    this.disp = disp;
  }

  /** A register view. */
  public static Operand register(int reg, int size, boolean highByte) {
    if (reg < 0 || reg >= Registers.COUNT) {
      throw new IllegalArgumentException("register " + reg);
    }
    checkSize(size);
    if (highByte && (size != 1 || reg > 3)) {
      throw new IllegalArgumentException("high-byte register must be ah/ch/dh/bh");
    }
    return new Operand(Kind.REGISTER, size, reg, highByte, 0, Segment.NONE, Registers.NONE,
        Registers.NONE, 1, 0);
  }

  /** A full 64-bit register. */
  public static Operand register64(int reg) {
    return register(reg, 8, false);
  }

  /** An immediate of the given effective width. */
  public static Operand immediate(long value, int size) {
    checkSize(size);
    return new Operand(Kind.IMMEDIATE, size, Registers.NONE, false, value, Segment.NONE,
        Registers.NONE, Registers.NONE, 1, 0);
  }

  /** A memory reference; {@code size} 0 means the operand is only an address. */
  public static Operand memory(
      Segment segment, int base, int index, int scale, long disp, int size) {
    if (size != 0) {
      checkSize(size);
    }
    if (scale != 1 && scale != 2 && scale != 4 && scale != 8) {
      throw new IllegalArgumentException("scale " + scale);
    }
    if (index == Registers.RSP || index == Registers.RIP) {
      throw new IllegalArgumentException("index register cannot be " + Registers.name64(index));
    }
    if (base == Registers.RIP && index != Registers.NONE) {
      throw new IllegalArgumentException("RIP-relative operand cannot have an index");
    }
    return new Operand(Kind.MEMORY, size, Registers.NONE, false, 0, segment, base, index, scale,
        disp);
  }

  /** The same memory reference with another access size. */
  public Operand withSize(int newSize) {
    if (kind == Kind.MEMORY) {
      return memory(segment, base, index, scale, disp, newSize);
    }
    if (kind == Kind.IMMEDIATE) {
      return immediate(imm, newSize);
    }
    return register(reg, newSize, highByte);
  }

  public boolean isRegister() {
    return kind == Kind.REGISTER;
  }

  public boolean isImmediate() {
    return kind == Kind.IMMEDIATE;
  }

  public boolean isMemory() {
    return kind == Kind.MEMORY;
  }

  private static void checkSize(int size) {
    if (size != 1 && size != 2 && size != 4 && size != 8) {
      throw new IllegalArgumentException("operand size " + size);
    }
  }

  /** AT&amp;T syntax, e.g. {@code %r10d}, {@code $0x10}, {@code %gs:-8(,%rax,8)}. */
  @Override
  public String toString() {
    switch (kind) {
      case REGISTER:
        return "%" + Registers.name(reg, size, highByte);
      case IMMEDIATE:
        return "$" + (imm < 0 && imm > -4096 ? Long.toString(imm) : "0x" + Long.toHexString(imm));
      default:
        StringBuilder sb = new StringBuilder();
        if (segment != Segment.NONE) {
          sb.append('%').append(segment.name().toLowerCase(java.util.Locale.ROOT)).append(':');
        }
        if (disp != 0 || (base == Registers.NONE && index == Registers.NONE)) {
          sb.append(disp < 0 ? "-0x" + Long.toHexString(-disp) : "0x" + Long.toHexString(disp));
        }
        if (base != Registers.NONE || index != Registers.NONE) {
          sb.append('(');
          if (base != Registers.NONE) {
            sb.append('%').append(Registers.name64(base));
          }
          if (index != Registers.NONE) {
            sb.append(",%").append(Registers.name64(index)).append(',').append(scale);
          }
          sb.append(')');
        }
        return sb.toString();
    }
  }
}
