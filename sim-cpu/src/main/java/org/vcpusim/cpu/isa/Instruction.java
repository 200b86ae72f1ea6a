package org.vcpusim.cpu.isa;

import java.util.List;
import java.util.Objects;

/**
 * One pre-decoded instruction at a fixed address: what the assembler produces and what a core
 * executes, with no decoding at run time.
 *
 * <p>Fields are public and final so the interpreter's hot loop reads them directly; an instance is
 * immutable once the assembler has built its program.
 *
 * <p>Operands are in AT&amp;T order (sources first, destination last). {@link #size} is the
 * operation size in bytes: the destination's size for most operations, the source's for {@code
 * cmp}/{@code test}/{@code bt}, 8 for {@code push}/{@code pop}/{@code call}/{@code ret}.
 */
public final class Instruction {
  /** Linear address of the first byte. */
  public final long address;
  /** Length in bytes, so the next instruction is at {@code address + length}. */
  public final int length;
  /** Position in {@link AssembledProgram#instructions()}. */
  public final int index;

  public final Opcode opcode;
  /** For JCC, SETCC and CMOV; null otherwise. */
  public final Condition condition;
  /** True when written with a {@code lock} prefix. */
  public final boolean lock;
  /** Operation size in bytes (1, 2, 4 or 8), or 0 for operations without one (nop, fences). */
  public final int size;
  /** Operands in AT&amp;T order; never null, possibly empty. */
  public final Operand[] operands;
  /** Direct branch or call target address; -1 for indirect or non-branching instructions. */
  public final long target;

  /** Where it was written. */
  public final SourceLocation source;
  /** The source text of the instruction, normalized (for listings and per-instruction reports). */
  public final String text;

  public Instruction(
      long address,
      int length,
      int index,
      Opcode opcode,
      Condition condition,
      boolean lock,
      int size,
      List<Operand> operands,
      long target,
      SourceLocation source,
      String text) {
    this.address = address;
    this.length = length;
    this.index = index;
    this.opcode = Objects.requireNonNull(opcode);
    if (opcode.isConditional() != (condition != null)) {
      throw new IllegalArgumentException(opcode + " with condition " + condition);
    }
    this.condition = condition;
    this.lock = lock;
    this.size = size;
    this.operands = operands.toArray(new Operand[0]);
    this.target = target;
    this.source = Objects.requireNonNull(source);
    this.text = Objects.requireNonNull(text);
  }

  /** Address of the next sequential instruction (the value RIP-relative operands are based on). */
  public long nextAddress() {
    return address + length;
  }

  /** The destination (last) operand, or null when there is none. */
  public Operand destination() {
    return operands.length == 0 ? null : operands[operands.length - 1];
  }

  /** Operand {@code i} in AT&amp;T order. */
  public Operand operand(int i) {
    return operands[i];
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%#x: %s", address, text);
  }
}
