package org.vcpusim.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.cpu.exec.Ops.imm;
import static org.vcpusim.cpu.exec.Ops.mem;
import static org.vcpusim.cpu.exec.Ops.r32;
import static org.vcpusim.cpu.exec.Ops.r64;
import static org.vcpusim.cpu.exec.Ops.r8;
import static org.vcpusim.cpu.isa.Registers.RAX;
import static org.vcpusim.cpu.isa.Registers.RBX;
import static org.vcpusim.cpu.isa.Registers.RSI;

import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Operand;

/** Impossible operand forms are rejected when a program is decoded, naming the instruction. */
class DecoderTest {
  private static IllegalArgumentException rejects(Opcode op, int size, Operand... operands) {
    AssembledProgram p = new ProgramBuilder().op(op, size, operands).build();
    return assertThrows(IllegalArgumentException.class, () -> new DecodedProgram(p));
  }

  @Test
  void rejectsImpossibleForms() {
    IllegalArgumentException e = rejects(Opcode.MOV, 8, mem(RSI, 0, 8), mem(RBX, 0, 8));
    assertTrue(e.getMessage().contains("test.s:1:1"), e.getMessage());
    assertTrue(e.getMessage().contains("two memory operands"), e.getMessage());
    rejects(Opcode.ADD, 8, r64(RAX), imm(1));
    rejects(Opcode.ADD, 8, r32(RBX), r64(RAX));
    rejects(Opcode.SHL, 8, r64(RBX), r64(RAX));
    rejects(Opcode.LEA, 8, r64(RBX), r64(RAX));
    rejects(Opcode.MOVZX, 4, r32(RBX), r32(RAX));
    rejects(Opcode.BT, 1, imm(1), r8(RAX));
    rejects(Opcode.RDPID, 4, r32(RAX));
    rejects(Opcode.PUSH, 4, r32(RAX));
  }

  @Test
  void indexLookupFindsEveryInstructionAndNothingElse() {
    ProgramBuilder b = new ProgramBuilder();
    for (int k = 0; k < 1000; k++) {
      b.length(1 + k % 7).op(Opcode.NOP, 0);
    }
    AssembledProgram p = b.build();
    DecodedProgram d = new DecodedProgram(p);
    assertEquals(1000, d.size());
    for (int k = 0; k < 1000; k++) {
      long a = p.instruction(k).address;
      assertEquals(k, d.indexOf(a));
      if (p.instruction(k).length > 1) {
        assertEquals(-1, d.indexOf(a + 1));
      }
    }
    assertEquals(-1, d.indexOf(-1L));
    assertEquals(-1, d.indexOf(0));
  }
}
