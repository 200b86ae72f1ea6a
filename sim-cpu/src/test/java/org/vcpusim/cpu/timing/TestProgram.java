package org.vcpusim.cpu.timing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vcpusim.cpu.exec.ExecutionRecord;
import org.vcpusim.cpu.isa.Condition;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Operand;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.isa.Segment;
import org.vcpusim.cpu.isa.SourceLocation;

/**
 * Test-side builder of {@link Instruction}s (laid out 4 bytes apart from 0x401000, indexed in
 * order) and of the {@link ExecutionRecord}s a core would hand the timing model.
 */
final class TestProgram {
  static final long BASE = 0x401000;
  private final List<Instruction> instructions = new ArrayList<>();

  static Operand r(int reg) {
    return Operand.register64(reg);
  }

  static Operand r32(int reg) {
    return Operand.register(reg, 4, false);
  }

  static Operand imm(long v) {
    return Operand.immediate(v, 4);
  }

  static Operand mem(int base, long disp) {
    return Operand.memory(Segment.NONE, base, Registers.NONE, 1, disp, 8);
  }

  static Operand gs(int base, long disp) {
    return Operand.memory(Segment.GS, base, Registers.NONE, 1, disp, 8);
  }

  Instruction add(Opcode op, Operand... ops) {
    return add(op, null, false, -1, ops);
  }

  Instruction locked(Opcode op, Operand... ops) {
    return add(op, null, true, -1, ops);
  }

  Instruction jcc(Condition c, long target) {
    return add(Opcode.JCC, c, false, target);
  }

  Instruction add(Opcode op, Condition c, boolean lock, long target, Operand... ops) {
    int index = instructions.size();
    long address = BASE + 4L * index;
    int size = 8;
    if (ops.length == 0) {
      size = 0;
    }
    Instruction insn = new Instruction(address, 4, index, op, c, lock, size, Arrays.asList(ops),
        target, new SourceLocation("test.s", index + 1, 1),
        op.name().toLowerCase(java.util.Locale.ROOT) + " " + Arrays.toString(ops));
    instructions.add(insn);
    return insn;
  }

  List<Instruction> instructions() {
    return instructions;
  }

  /** A record of {@code insn} with no memory access, falling through. */
  static ExecutionRecord record(ExecutionRecord rec, Instruction insn) {
    rec.begin(insn, 1);
    rec.nextRip = insn.nextAddress();
    return rec;
  }

  static ExecutionRecord load(ExecutionRecord rec, Instruction insn, long address) {
    record(rec, insn).addAccess(address, 8, false, Segment.NONE, false);
    return rec;
  }

  static ExecutionRecord store(ExecutionRecord rec, Instruction insn, long address) {
    record(rec, insn).addAccess(address, 8, true, Segment.NONE, false);
    return rec;
  }
}
