package org.vcpusim.cpu.exec;

import java.util.Arrays;
import org.vcpusim.cpu.isa.AssembledProgram;

/**
 * An {@link AssembledProgram} prepared for execution: one interpreter record per instruction and an
 * open-addressing map from instruction address to index, so that returns, indirect jumps and
 * kernel redirects (signal delivery, rseq abort) find their instruction in a probe or two.
 *
 * <p>Decoding validates every instruction's operand form: an impossible form throws
 * {@link IllegalArgumentException} here rather than during a run. Immutable after construction and
 * safe to share between cores and threads; build it once per program and attach it to every core
 * that runs the program.
 */
public final class DecodedProgram {
  private final AssembledProgram program;
  final Uop[] uops;
  private final long[] keys;
  private final int[] values;
  private final int mask;

  /**
   * Decodes every instruction of {@code program}.
   *
   * @throws IllegalArgumentException for an instruction whose operand form cannot execute
   */
  public DecodedProgram(AssembledProgram program) {
    this.program = program;
    int n = program.instructionCount();
    int capacity = Integer.highestOneBit(Math.max(4, n * 4) - 1) << 1;
    keys = new long[capacity];
    Arrays.fill(keys, -1L);
    values = new int[capacity];
    mask = capacity - 1;
    for (int i = 0; i < n; i++) {
      long address = program.instruction(i).address;
      int slot = slot(address);
      while (keys[slot] != -1L) {
        slot = (slot + 1) & mask;
      }
      keys[slot] = address;
      values[slot] = i;
    }
    uops = new Uop[n];
    for (int i = 0; i < n; i++) {
      uops[i] = Decoder.decode(program.instruction(i), this::indexOf);
    }
  }

  private int slot(long address) {
    return (int) ((address * 0x9E3779B97F4A7C15L) >>> 40) & mask;
  }

  /** The program this was decoded from. */
  public AssembledProgram program() {
    return program;
  }

  /** Number of instructions. */
  public int size() {
    return uops.length;
  }

  /** Index of the instruction starting exactly at {@code address}, or -1. */
  public int indexOf(long address) {
    if (address < 0) {
      return -1; // never an instruction (user addresses are non-negative); -1 marks empty slots
    }
    long[] k = keys;
    int slot = slot(address);
    while (true) {
      long key = k[slot];
      if (key == address) {
        return values[slot];
      }
      if (key == -1L) {
        return -1;
      }
      slot = (slot + 1) & mask;
    }
  }
}
