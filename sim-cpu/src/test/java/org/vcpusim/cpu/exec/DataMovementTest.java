package org.vcpusim.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.cpu.exec.Ops.abs;
import static org.vcpusim.cpu.exec.Ops.high8;
import static org.vcpusim.cpu.exec.Ops.imm;
import static org.vcpusim.cpu.exec.Ops.mem;
import static org.vcpusim.cpu.exec.Ops.r16;
import static org.vcpusim.cpu.exec.Ops.r32;
import static org.vcpusim.cpu.exec.Ops.r64;
import static org.vcpusim.cpu.exec.Ops.r8;
import static org.vcpusim.cpu.exec.Ops.rip;
import static org.vcpusim.cpu.exec.TestMachine.DATA;
import static org.vcpusim.cpu.exec.TestMachine.STACK_TOP;
import static org.vcpusim.cpu.isa.Registers.NONE;
import static org.vcpusim.cpu.isa.Registers.RAX;
import static org.vcpusim.cpu.isa.Registers.RBX;
import static org.vcpusim.cpu.isa.Registers.RCX;
import static org.vcpusim.cpu.isa.Registers.RDX;
import static org.vcpusim.cpu.isa.Registers.RSI;
import static org.vcpusim.cpu.isa.Registers.RSP;

import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.isa.Condition;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Segment;

/** mov forms, extensions, lea, xchg, push/pop, cmov, setcc, sign extensions, segment overrides. */
class DataMovementTest {
  private final TestMachine m = new TestMachine();

  @Test
  void partialRegisterWrites() {
    m.set(RAX, 0x1122334455667788L).set(RBX, 0xAABBCCDDEEFF0099L);
    m.execute(Opcode.MOV, 4, r32(RBX), r32(RAX));
    assertEquals(0xEEFF0099L, m.reg(RAX), "32-bit write zero-extends");

    m.set(RAX, 0x1122334455667788L);
    m.execute(Opcode.MOV, 2, r16(RBX), r16(RAX));
    assertEquals(0x1122334455660099L, m.reg(RAX), "16-bit write merges");

    m.set(RAX, 0x1122334455667788L);
    m.execute(Opcode.MOV, 1, r8(RBX), r8(RAX));
    assertEquals(0x1122334455667799L, m.reg(RAX), "8-bit write merges");

    m.set(RAX, 0x1122334455667788L);
    m.execute(Opcode.MOV, 1, high8(RBX), high8(RAX));
    assertEquals(0x1122334455660088L, m.reg(RAX), "mov %bh, %ah");

    m.execute(Opcode.MOV, 8, imm(0x123456789ABCDEF0L, 8), r64(RCX));
    assertEquals(0x123456789ABCDEF0L, m.reg(RCX), "movabs");

    m.execute(Opcode.MOV, 8, imm(-2), r64(RCX));
    assertEquals(-2L, m.reg(RCX), "imm32 sign-extended");

    m.set(RCX, -1L);
    m.execute(Opcode.MOV, 4, imm(-2), r32(RCX));
    assertEquals(0xFFFFFFFEL, m.reg(RCX));
  }

  @Test
  void loadsAndStoresWithEveryAddressingPart() {
    m.write(DATA + 0x100 + 3 * 8 + 16, 8, 0x0102030405060708L);
    m.set(RBX, DATA + 0x100).set(RSI, 3);
    m.execute(Opcode.MOV, 8, mem(Segment.NONE, RBX, RSI, 8, 16, 8), r64(RAX));
    assertEquals(0x0102030405060708L, m.reg(RAX));
    assertEquals(1, m.core.record().accessCount);
    assertEquals(DATA + 0x118 + 16, m.core.record().address[0]);
    assertFalse(m.core.record().write[0]);

    m.set(RAX, 0xCAFEBABEL);
    m.execute(Opcode.MOV, 2, r16(RAX), mem(RBX, -2, 2));
    assertEquals(0xBABE, m.read(DATA + 0xFE, 2));
    assertTrue(m.core.record().write[0]);
    assertEquals(2, m.core.record().size[0]);

    m.execute(Opcode.MOV, 1, imm(0x7F, 1), abs(Segment.NONE, DATA + 0x200, 1));
    assertEquals(0x7F, m.read(DATA + 0x200, 1));

    m.execute(Opcode.MOV, 8, imm(-1), mem(RBX, 0, 8));
    assertEquals(-1L, m.read(DATA + 0x100, 8), "imm32 stored sign-extended to 64 bits");
  }

  @Test
  void ripRelativeOperandIsBasedOnTheNextInstruction() {
    // The instruction is at TEXT with length 4; its disp is relative to TEXT + 4.
    long target = DATA + 0x40;
    m.write(target, 4, 0x53053053);
    m.execute(Opcode.MOV, 4, rip(target - (ProgramBuilder.TEXT + 4), 4), r32(RDX));
    assertEquals(0x53053053L, m.reg(RDX));
  }

  @Test
  void zeroAndSignExtension() {
    m.set(RBX, 0x80F0);
    m.set(RAX, -1L);
    m.execute(Opcode.MOVZX, 4, r8(RBX), r32(RAX));
    assertEquals(0xF0, m.reg(RAX), "movzbl");
    m.execute(Opcode.MOVSX, 8, r8(RBX), r64(RAX));
    assertEquals(-16L, m.reg(RAX), "movsbq");
    m.execute(Opcode.MOVSX, 4, r16(RBX), r32(RAX));
    assertEquals(0xFFFF80F0L, m.reg(RAX), "movswl zero-extends into bits 63..32");
    m.set(RAX, 0x1111111111111111L);
    m.execute(Opcode.MOVZX, 2, r8(RBX), r16(RAX));
    assertEquals(0x11111111111100F0L, m.reg(RAX), "movzbw merges");
    m.write(DATA, 4, 0x80000000L);
    m.set(RSI, DATA);
    m.execute(Opcode.MOVSX, 8, mem(RSI, 0, 4), r64(RAX));
    assertEquals(0xFFFFFFFF80000000L, m.reg(RAX), "movslq from memory");
    m.write(DATA + 8, 2, 0xFFFE);
    m.execute(Opcode.MOVZX, 8, mem(RSI, 8, 2), r64(RAX));
    assertEquals(0xFFFE, m.reg(RAX), "movzwq from memory");
  }

  @Test
  void signExtendAccumulator() {
    m.set(RAX, 0x12345678_87654321L);
    m.execute(Opcode.CLTQ, 8);
    assertEquals(0xFFFFFFFF87654321L, m.reg(RAX));
    m.set(RAX, 0x1234_8001L);
    m.execute(Opcode.CWTL, 4);
    assertEquals(0xFFFF8001L, m.reg(RAX));
    m.set(RAX, 0x80000000L).set(RDX, 0x1234_5678_9ABC_DEF0L);
    m.execute(Opcode.CLTD, 4);
    assertEquals(0xFFFFFFFFL, m.reg(RDX));
    m.set(RAX, 5);
    m.execute(Opcode.CQTO, 8);
    assertEquals(0, m.reg(RDX));
    m.set(RAX, -5);
    m.execute(Opcode.CQTO, 8);
    assertEquals(-1L, m.reg(RDX));
  }

  @Test
  void leaComputesWithoutAccessOrSegmentBase() {
    m.ctx.setFsBase(0x7000_0000L);
    m.set(RBX, 0x1000).set(RSI, 3);
    m.execute(Opcode.LEA, 8, mem(Segment.FS, RBX, RSI, 4, -8, 0), r64(RAX));
    assertEquals(0x1000 + 12 - 8, m.reg(RAX));
    assertEquals(0, m.core.record().accessCount);
    m.set(RBX, 0xFFFF_FFFF_0000_0010L);
    m.set(RAX, -1L);
    m.execute(Opcode.LEA, 4, mem(RBX, 0x10, 0), r32(RAX));
    assertEquals(0x20, m.reg(RAX), "32-bit lea truncates and zero-extends");
    m.execute(Opcode.LEA, 8, rip(0x100, 0), r64(RCX));
    assertEquals(ProgramBuilder.TEXT + 4 + 0x100, m.reg(RCX));
  }

  @Test
  void segmentOverridesAddTheBase() {
    m.ctx.setFsBase(DATA + 0x800);
    m.ctx.setGsBase(0);
    m.write(DATA + 0x808, 8, 77);
    m.execute(Opcode.MOV, 8, abs(Segment.FS, 8, 8), r64(RAX));
    assertEquals(77, m.reg(RAX));
    ExecutionRecord rec = m.core.record();
    assertEquals(DATA + 0x808, rec.address[0]);
    assertEquals(Segment.FS, rec.segment[0]);
    assertTrue(rec.nonZeroSegmentBase[0]);

    m.set(RSI, DATA + 0x808);
    m.execute(Opcode.MOV, 8, mem(Segment.GS, RSI, NONE, 1, 0, 8), r64(RBX));
    assertEquals(77, m.reg(RBX));
    assertEquals(Segment.GS, m.core.record().segment[0]);
    assertFalse(m.core.record().nonZeroSegmentBase[0], "GS base is zero");

    m.ctx.setGsBase(DATA);
    m.set(RAX, 2);
    m.execute(Opcode.MOV, 2, r16(RAX), mem(Segment.GS, NONE, RAX, 4, 0, 2));
    assertEquals(2, m.read(DATA + 8, 2), "movw %ax, %gs:(,%rax,4)");
  }

  @Test
  void exchange() {
    m.set(RAX, 0x1111111111111111L).set(RBX, 0x2222222222222222L);
    m.execute(Opcode.XCHG, 4, r32(RAX), r32(RBX));
    assertEquals(0x22222222L, m.reg(RAX));
    assertEquals(0x11111111L, m.reg(RBX));

    m.write(DATA, 8, 5);
    m.set(RSI, DATA).set(RAX, 9);
    m.execute(Opcode.XCHG, 8, r64(RAX), mem(RSI, 0, 8));
    assertEquals(5, m.reg(RAX));
    assertEquals(9, m.read(DATA, 8));
    assertEquals(2, m.core.record().accessCount, "load and store");
  }

  @Test
  void pushAndPop() {
    m.set(RAX, 0xABCD);
    m.load(new ProgramBuilder()
        .op(Opcode.PUSH, 8, r64(RAX))
        .op(Opcode.PUSH, 8, imm(-3))
        .op(Opcode.PUSH, 8, r64(RSP))
        .op(Opcode.POP, 8, r64(RBX))
        .op(Opcode.POP, 8, r64(RCX))
        .op(Opcode.POP, 8, r64(RDX)));
    m.run(3);
    assertEquals(STACK_TOP - 24, m.reg(RSP));
    assertEquals(0xABCD, m.read(STACK_TOP - 8, 8));
    assertEquals(-3L, m.read(STACK_TOP - 16, 8));
    assertEquals(STACK_TOP - 16, m.read(STACK_TOP - 24, 8), "push %rsp pushes the old value");
    m.run(3);
    assertEquals(STACK_TOP - 16, m.reg(RBX));
    assertEquals(-3L, m.reg(RCX));
    assertEquals(0xABCD, m.reg(RDX));
    assertEquals(STACK_TOP, m.reg(RSP));
  }

  @Test
  void pushAndPopMemoryUseRspAsTheSdmSays() {
    m.write(STACK_TOP - 8, 8, 42);
    m.set(RSP, STACK_TOP - 8);
    // push (%rsp): the address is computed before the decrement.
    m.execute(Opcode.PUSH, 8, mem(RSP, 0, 8));
    assertEquals(42, m.read(STACK_TOP - 16, 8));
    assertEquals(STACK_TOP - 16, m.reg(RSP));
    // pop (%rsp): the address is computed after the increment, so it lands on the old slot above.
    m.write(STACK_TOP - 16, 8, 99);
    m.execute(Opcode.POP, 8, mem(RSP, 0, 8));
    assertEquals(STACK_TOP - 8, m.reg(RSP));
    assertEquals(99, m.read(STACK_TOP - 8, 8));
  }

  @Test
  void popIntoRspKeepsThePoppedValue() {
    m.write(STACK_TOP - 8, 8, 0x1234);
    m.set(RSP, STACK_TOP - 8);
    m.execute(Opcode.POP, 8, r64(RSP));
    assertEquals(0x1234, m.reg(RSP));
  }

  @Test
  void cmovWithTheUpperHalfQuirk() {
    m.set(RAX, 0xFFFFFFFF_00000001L).set(RBX, 7);
    m.ctx.setRflags(0);
    m.load(new ProgramBuilder().cc(Opcode.CMOV, Condition.E, 4, r32(RBX), r32(RAX)));
    m.step();
    assertEquals(1, m.reg(RAX), "not taken, yet bits 63..32 are cleared");

    m.set(RAX, 0xFFFFFFFF_00000001L);
    m.load(new ProgramBuilder().cc(Opcode.CMOV, Condition.NE, 8, r64(RBX), r64(RAX)));
    m.step();
    assertEquals(7, m.reg(RAX), "taken");

    m.set(RAX, 0xFFFF_0001L);
    m.load(new ProgramBuilder().cc(Opcode.CMOV, Condition.E, 2, r16(RBX), r16(RAX)));
    m.step();
    assertEquals(0xFFFF_0001L, m.reg(RAX), "16-bit not taken: untouched");
  }

  @Test
  void cmovFromMemoryAlwaysReads() {
    m.ctx.setRflags(0);
    m.set(RSI, 0x10);
    m.load(new ProgramBuilder().cc(Opcode.CMOV, Condition.E, 8, mem(RSI, 0, 8), r64(RAX)));
    assertEquals(CoreStatus.FAULT, m.step());
    assertEquals(Trap.Kind.PAGE_FAULT, m.core.trap().kind());
  }

  @Test
  void setccToMemory() {
    m.ctx.setRflags(Rflags.ZF);
    m.set(RSI, DATA);
    m.write(DATA, 8, -1L);
    m.load(new ProgramBuilder().cc(Opcode.SETCC, Condition.E, 1, mem(RSI, 0, 1)));
    m.step();
    assertEquals(0xFFFFFFFFFFFFFF01L, m.read(DATA, 8));
  }
}
