package org.vcpusim.cpu.asm;

import org.vcpusim.cpu.isa.Operand;

/**
 * How to build one decoded {@link Operand} once the instruction is encoded: a register or constant
 * known at parse time, or an immediate or memory reference whose value comes from what {@link
 * Encoding#emit} encoded (so the decoded form and the bytes always agree).
 */
final class OperandSpec {
  private final Operand fixed;
  private final boolean immediate;
  private final int size;
  private final AsmOperand memory;
  private final boolean zeroExtended;

  private OperandSpec(Operand fixed, boolean immediate, int size, AsmOperand memory,
      boolean zeroExtended) {
    this.fixed = fixed;
    this.immediate = immediate;
    this.size = size;
    this.memory = memory;
    this.zeroExtended = zeroExtended;
  }

  static OperandSpec of(Operand operand) {
    return new OperandSpec(operand, false, 0, null, false);
  }

  static OperandSpec register(AsmOperand r) {
    return of(Operand.register(r.reg, r.size, r.high));
  }

  /** The encoded immediate, sign-extended from {@code size} bytes to 64 bits. */
  static OperandSpec immediate(int size) {
    return new OperandSpec(null, true, size, null, false);
  }

  /** The encoded immediate as an unsigned {@code size}-byte value ({@code ret $imm16}). */
  static OperandSpec unsignedImmediate(int size) {
    return new OperandSpec(null, true, size, null, true);
  }

  /** The memory reference {@code m} with access size {@code size} (0: address only). */
  static OperandSpec memory(AsmOperand m, int size) {
    return new OperandSpec(null, false, size, m, false);
  }

  Operand build(Encoding e) {
    if (fixed != null) {
      return fixed;
    }
    if (immediate) {
      long v = zeroExtended ? e.emittedImm & ((1L << (8 * size)) - 1) : signExtend(e.emittedImm, size);
      return Operand.immediate(v, size);
    }
    long disp = e.dispSize > 0 ? e.emittedDisp : 0;
    return Operand.memory(memory.segment(), memory.base, memory.index, memory.scale, disp, size);
  }

  /** {@code v} sign-extended from its low {@code size} bytes (unchanged for 8). */
  static long signExtend(long v, int size) {
    if (size >= 8) {
      return v;
    }
    int shift = 64 - 8 * size;
    return (v << shift) >> shift;
  }
}
