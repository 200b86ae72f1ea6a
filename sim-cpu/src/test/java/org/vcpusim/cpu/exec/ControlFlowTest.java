package org.vcpusim.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.cpu.exec.Ops.imm;
import static org.vcpusim.cpu.exec.Ops.mem;
import static org.vcpusim.cpu.exec.Ops.r64;
import static org.vcpusim.cpu.exec.TestMachine.DATA;
import static org.vcpusim.cpu.exec.TestMachine.STACK_TOP;
import static org.vcpusim.cpu.isa.Registers.RAX;
import static org.vcpusim.cpu.isa.Registers.RBX;
import static org.vcpusim.cpu.isa.Registers.RSI;
import static org.vcpusim.cpu.isa.Registers.RSP;

import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Condition;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.mem.AccessKind;

/** jmp, jcc, call, ret: direct, through registers and memory; targets that are not instructions. */
class ControlFlowTest {
  private final TestMachine m = new TestMachine();

  @Test
  void conditionalJumpTakenAndNotTaken() {
    AssembledProgram p = new ProgramBuilder()
        .op(Opcode.CMP, 8, imm(5), r64(RAX))
        .jcc(Condition.L, "less")
        .op(Opcode.MOV, 8, imm(1), r64(RBX))
        .label("less")
        .op(Opcode.NOP, 0)
        .build();
    m.load(p).set(RAX, 3);
    m.step();
    m.step();
    assertTrue(m.core.record().branchTaken);
    assertEquals(p.address("less"), m.ctx.rip());
    assertEquals(p.address("less"), m.core.record().nextRip);

    m.load(p).set(RAX, 9).set(RBX, 0);
    m.run(3);
    assertEquals(1, m.reg(RBX));
    assertEquals(p.address("less"), m.ctx.rip(), "fell through the mov to the label");
  }

  @Test
  void jumpNotTakenRecordsFallThrough() {
    m.load(new ProgramBuilder().op(Opcode.TEST, 8, r64(RAX), r64(RAX)).jcc(Condition.NE, "x")
        .label("x").op(Opcode.NOP, 0)).set(RAX, 0);
    m.run(2);
    assertFalse(m.core.record().branchTaken);
    assertEquals(ProgramBuilder.TEXT + 8, m.core.record().nextRip);
  }

  @Test
  void callAndReturn() {
    AssembledProgram p = new ProgramBuilder()
        .call("f")
        .op(Opcode.MOV, 8, imm(2), r64(RBX))
        .op(Opcode.UD2, 0)
        .label("f")
        .op(Opcode.MOV, 8, imm(1), r64(RAX))
        .op(Opcode.RET, 8)
        .build();
    m.load(p);
    m.step();
    assertEquals(STACK_TOP - 8, m.reg(RSP));
    assertEquals(ProgramBuilder.TEXT + 4, m.read(STACK_TOP - 8, 8), "return address");
    assertEquals(p.address("f"), m.ctx.rip());
    assertEquals(CoreStatus.FAULT, m.run(100));
    assertEquals(Trap.Kind.INVALID_OPCODE, m.core.trap().kind());
    assertEquals(1, m.reg(RAX));
    assertEquals(2, m.reg(RBX));
    assertEquals(STACK_TOP, m.reg(RSP));
  }

  @Test
  void retWithImmediatePopsMore() {
    m.write(STACK_TOP - 32, 8, ProgramBuilder.TEXT + 4);
    m.set(RSP, STACK_TOP - 32);
    m.load(new ProgramBuilder().op(Opcode.RET, 8, imm(16, 2)).op(Opcode.NOP, 0));
    m.set(RSP, STACK_TOP - 32);
    m.step();
    assertEquals(STACK_TOP - 8, m.reg(RSP));
    assertEquals(ProgramBuilder.TEXT + 4, m.ctx.rip());
  }

  @Test
  void indirectJumpsAndCalls() {
    AssembledProgram p = new ProgramBuilder()
        .op(Opcode.JMP, 8, r64(RAX))
        .op(Opcode.UD2, 0)
        .label("a")
        .op(Opcode.JMP, 8, mem(RSI, 8, 0))
        .op(Opcode.UD2, 0)
        .label("b")
        .op(Opcode.CALL, 8, r64(RBX))
        .label("c")
        .op(Opcode.CALL, 8, mem(RSI, 16, 8))
        .label("d")
        .op(Opcode.UD2, 0)
        .build();
    m.load(p);
    m.set(RAX, p.address("a")).set(RBX, p.address("c")).set(RSI, DATA);
    m.write(DATA + 8, 8, p.address("b"));
    m.write(DATA + 16, 8, p.address("d"));
    m.step();
    assertEquals(p.address("a"), m.ctx.rip());
    m.step();
    assertEquals(p.address("b"), m.ctx.rip());
    assertEquals(DATA + 8, m.core.record().address[0]);
    m.step();
    assertEquals(p.address("c"), m.ctx.rip());
    assertEquals(p.address("c"), m.read(STACK_TOP - 8, 8));
    m.step();
    assertEquals(p.address("d"), m.ctx.rip());
    assertEquals(p.address("d"), m.read(STACK_TOP - 16, 8));
    assertEquals(2, m.core.record().accessCount, "target load and return-address store");
  }

  @Test
  void nonCanonicalTargetIsGeneralProtectionAtTheBranch() {
    m.load(new ProgramBuilder().op(Opcode.CALL, 8, r64(RAX)).op(Opcode.NOP, 0));
    m.set(RAX, 0x0000_8000_0000_0000L);
    assertEquals(CoreStatus.FAULT, m.step());
    assertEquals(Trap.Kind.GENERAL_PROTECTION, m.core.trap().kind());
    assertEquals(ProgramBuilder.TEXT, m.ctx.rip());
    assertEquals(STACK_TOP, m.reg(RSP), "nothing pushed");
  }

  @Test
  void jumpIntoTheMiddleOfAnInstructionStopsWithNoInstruction() {
    m.load(new ProgramBuilder().jmpTo(ProgramBuilder.TEXT + 6).op(Opcode.NOP, 0));
    assertEquals(CoreStatus.RETIRED, m.step());
    assertEquals(CoreStatus.NO_INSTRUCTION, m.step());
    Trap t = m.core.trap();
    assertEquals(Trap.Kind.INVALID_OPCODE, t.kind());
    assertEquals(ProgramBuilder.TEXT + 6, t.rip());
    assertEquals(AccessKind.EXECUTE, t.access());
    assertNull(t.memoryFault());
    assertEquals(ProgramBuilder.TEXT + 6, m.ctx.rip());
  }

  @Test
  void redirectBetweenStepsChangesTheNextInstruction() {
    AssembledProgram p = new ProgramBuilder()
        .op(Opcode.MOV, 8, imm(1), r64(RAX))
        .op(Opcode.MOV, 8, imm(2), r64(RAX))
        .label("abort")
        .op(Opcode.MOV, 8, imm(3), r64(RBX))
        .build();
    m.load(p);
    m.step();
    m.core.redirect(p.address("abort"));
    m.step();
    assertEquals(1, m.reg(RAX));
    assertEquals(3, m.reg(RBX));
  }
}
