package org.vcpusim.cpu.exec;

import org.vcpusim.cpu.isa.Operand;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.isa.Segment;

/** Operand shorthands for tests that build instructions without the assembler. */
public final class Ops {
  private Ops() {}

  public static Operand reg(int reg, int size) {
    return Operand.register(reg, size, false);
  }

  public static Operand r64(int reg) {
    return reg(reg, 8);
  }

  public static Operand r32(int reg) {
    return reg(reg, 4);
  }

  public static Operand r16(int reg) {
    return reg(reg, 2);
  }

  public static Operand r8(int reg) {
    return reg(reg, 1);
  }

  /** {@code %ah %ch %dh %bh} for RAX..RBX. */
  public static Operand high8(int reg) {
    return Operand.register(reg, 1, true);
  }

  public static Operand imm(long value) {
    return Operand.immediate(value, 4);
  }

  public static Operand imm(long value, int size) {
    return Operand.immediate(value, size);
  }

  /** {@code disp(%base)}. */
  public static Operand mem(int base, long disp, int size) {
    return Operand.memory(Segment.NONE, base, Registers.NONE, 1, disp, size);
  }

  /** {@code seg:disp(%base,%index,scale)}; NONE for absent registers. */
  public static Operand mem(Segment seg, int base, int index, int scale, long disp, int size) {
    return Operand.memory(seg, base, index, scale, disp, size);
  }

  /** {@code seg:disp} with no registers. */
  public static Operand abs(Segment seg, long disp, int size) {
    return Operand.memory(seg, Registers.NONE, Registers.NONE, 1, disp, size);
  }

  /** {@code disp(%rip)}. */
  public static Operand rip(long disp, int size) {
    return Operand.memory(Segment.NONE, Registers.RIP, Registers.NONE, 1, disp, size);
  }
}
