package org.vcpusim.cpu.asm;

import java.util.List;
import org.vcpusim.cpu.isa.Condition;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Operand;
import org.vcpusim.cpu.isa.SourceLocation;

/** An instruction fully decoded but not yet numbered (its index comes from the address order). */
record Decoded(
    long address,
    int length,
    Opcode opcode,
    Condition condition,
    boolean lock,
    int size,
    List<Operand> operands,
    long target,
    SourceLocation source,
    String text) {

  Instruction toInstruction(int index) {
    return new Instruction(address, length, index, opcode, condition, lock, size, operands, target,
        source, text);
  }
}
