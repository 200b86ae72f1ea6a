package org.vcpusim.cpu.asm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.vcpusim.cpu.isa.Condition;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Operand;
import org.vcpusim.cpu.isa.SourceLocation;

/**
 * One piece of a section's contents in source order: data, a fill, an alignment or an instruction.
 * Its size may depend on its offset (alignment) or on relaxation (branches); {@link #emit} writes
 * its final bytes and reports any instructions it contains.
 */
abstract class Item {
  final SourceLocation loc;
  SectionBuilder section;
  int index;

  Item(SourceLocation loc) {
    this.loc = loc;
  }

  /** True when the size is unknown at parse time (starts a new gas fragment after it). */
  abstract boolean variable();

  /** The size in bytes when the item starts at section offset {@code offset}. */
  abstract int size(long offset);

  /** Writes the item's bytes at {@code out[at..]}; the item starts at {@code address}. */
  abstract void emit(byte[] out, int at, long address, Evaluator ev, List<Decoded> instructions);

  /** True when the item puts non-zero bytes in the section (not allowed in {@code .bss}). */
  boolean hasContents() {
    return true;
  }

  /** {@code .byte .short .long .quad} and aliases: expressions of one width. */
  static final class Data extends Item {
    final int width;
    final List<Expr> values;

    Data(SourceLocation loc, int width, List<Expr> values) {
      super(loc);
      this.width = width;
      this.values = values;
    }

    @Override
    boolean variable() {
      return false;
    }

    @Override
    int size(long offset) {
      return width * values.size();
    }

    @Override
    void emit(byte[] out, int at, long address, Evaluator ev, List<Decoded> instructions) {
      int p = at;
      for (Expr e : values) {
        long v = e.eval(ev).value();
        if (width < 8) {
          long min = -(1L << (8 * width - 1));
          long max = (1L << (8 * width)) - 1;
          if (v < min || v > max) {
            throw new AsmException(e.loc,
                String.format(Locale.ROOT, "value %#x does not fit in %d byte%s", v, width,
                    width == 1 ? "" : "s"),
                Encoding.rangeText(min, max), e.near());
          }
        }
        p = Encoding.writeLittleEndian(out, p, v, width);
      }
    }
  }

  /** {@code .ascii .asciz .string}: literal bytes. */
  static final class Bytes extends Item {
    final byte[] bytes;

    Bytes(SourceLocation loc, byte[] bytes) {
      super(loc);
      this.bytes = bytes;
    }

    @Override
    boolean variable() {
      return false;
    }

    @Override
    int size(long offset) {
      return bytes.length;
    }

    @Override
    void emit(byte[] out, int at, long address, Evaluator ev, List<Decoded> instructions) {
      System.arraycopy(bytes, 0, out, at, bytes.length);
    }
  }

  /** {@code .zero .skip .space}: {@code count} copies of one byte. */
  static final class Fill extends Item {
    final int count;
    final int fill;

    Fill(SourceLocation loc, int count, int fill) {
      super(loc);
      this.count = count;
      this.fill = fill;
    }

    @Override
    boolean variable() {
      return false;
    }

    @Override
    int size(long offset) {
      return count;
    }

    @Override
    boolean hasContents() {
      return fill != 0;
    }

    @Override
    void emit(byte[] out, int at, long address, Evaluator ev, List<Decoded> instructions) {
      Arrays.fill(out, at, at + count, (byte) fill);
    }
  }

  /**
   * {@code .balign .p2align .align}: padding to a power-of-two boundary, skipped entirely when more
   * than {@code maxSkip} bytes would be needed (gas manual, ".balign"). In an executable section
   * without an explicit fill byte, or with fill {@code 0x90}, the padding is gas's multi-byte NOPs
   * ({@link NopPadding}) and those NOPs are instructions of the program; otherwise it is the fill
   * byte (default 0).
   */
  static final class Align extends Item {
    final int alignment;
    final int fill;
    final long maxSkip;
    final boolean codePadding;

    Align(SourceLocation loc, int alignment, int fill, long maxSkip, boolean codePadding) {
      super(loc);
      this.alignment = alignment;
      this.fill = fill;
      this.maxSkip = maxSkip;
      this.codePadding = codePadding;
    }

    @Override
    boolean variable() {
      return true;
    }

    @Override
    int size(long offset) {
      int pad = (int) (-offset & (alignment - 1));
      return pad > maxSkip ? 0 : pad;
    }

    @Override
    boolean hasContents() {
      return fill != 0 || codePadding;
    }

    @Override
    void emit(byte[] out, int at, long address, Evaluator ev, List<Decoded> instructions) {
      int pad = size(section.offsets[index]);
      if (codePadding) {
        NopPadding.emit(out, at, pad, address, loc, instructions);
      } else {
        Arrays.fill(out, at, at + pad, (byte) fill);
      }
    }
  }

  /** One instruction with its chosen encoding and the recipe for its decoded operands. */
  static final class Insn extends Item {
    final Encoding encoding;
    final Opcode opcode;
    final Condition condition;
    final boolean lock;
    final int size;
    final List<OperandSpec> operands;
    final String text;

    Insn(SourceLocation loc, Encoding encoding, Opcode opcode, Condition condition, boolean lock,
        int size, List<OperandSpec> operands, String text) {
      super(loc);
      this.encoding = encoding;
      this.opcode = opcode;
      this.condition = condition;
      this.lock = lock;
      this.size = size;
      this.operands = operands;
      this.text = text;
    }

    /** A direct {@code jmp} or {@code jcc}: gas emits it as a variable fragment. */
    boolean isDirectJump() {
      return encoding.relSize > 0 && !encoding.isCall;
    }

    @Override
    boolean variable() {
      return isDirectJump();
    }

    @Override
    int size(long offset) {
      return encoding.length();
    }

    @Override
    void emit(byte[] out, int at, long address, Evaluator ev, List<Decoded> instructions) {
      encoding.emit(out, at, address, ev);
      List<Operand> ops = new ArrayList<>(operands.size());
      for (OperandSpec s : operands) {
        ops.add(s.build(encoding));
      }
      instructions.add(new Decoded(address, encoding.length(), opcode, condition, lock, size,
          ops, encoding.emittedTarget, loc, text));
    }
  }
}
