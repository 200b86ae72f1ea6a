package org.vcpusim.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vcpusim.cpu.exec.Ops.imm;
import static org.vcpusim.cpu.exec.Ops.mem;
import static org.vcpusim.cpu.exec.Ops.r32;
import static org.vcpusim.cpu.exec.Ops.r64;
import static org.vcpusim.cpu.exec.TestMachine.DATA;
import static org.vcpusim.cpu.isa.Registers.RAX;
import static org.vcpusim.cpu.isa.Registers.RBX;
import static org.vcpusim.cpu.isa.Registers.RCX;
import static org.vcpusim.cpu.isa.Registers.RSI;
import static org.vcpusim.cpu.isa.Registers.RSP;

import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.isa.Opcode;

/** cmpxchg, xadd, locked read-modify-writes, and #UD for a lock prefix where x86 forbids it. */
class AtomicsTest {
  private final TestMachine m = new TestMachine();

  @Test
  void cmpxchgMemorySuccessAndFailure() {
    m.write(DATA, 8, 10);
    m.set(RSI, DATA).set(RAX, 10).set(RBX, 20);
    m.load(new ProgramBuilder().locked(Opcode.CMPXCHG, 8, r64(RBX), mem(RSI, 0, 8)));
    m.step();
    assertEquals(20, m.read(DATA, 8));
    assertEquals(Rflags.ZF | Rflags.PF, m.flags());
    assertEquals(10, m.reg(RAX));
    assertEquals(2, m.core.record().accessCount);

    m.load(new ProgramBuilder().locked(Opcode.CMPXCHG, 8, r64(RBX), mem(RSI, 0, 8)));
    m.set(RAX, 11).set(RBX, 30);
    m.step();
    assertEquals(20, m.read(DATA, 8), "unchanged on failure");
    assertEquals(20, m.reg(RAX), "accumulator loaded with the current value");
    assertEquals(0, m.flags() & Rflags.ZF);
    assertEquals(Rflags.CF, m.flags() & Rflags.CF, "flags of 11 - 20");
  }

  @Test
  void cmpxchg32BitRegisterQuirks() {
    // Failure: EAX gets the destination, zero-extended; the destination register is untouched.
    m.set(RAX, 0xFFFFFFFF_00000001L).set(RBX, 0xAAAAAAAA_00000005L).set(RCX, 0xBBBBBBBB_00000002L);
    m.execute(Opcode.CMPXCHG, 4, r32(RCX), r32(RBX));
    assertEquals(0x5, m.reg(RAX));
    assertEquals(0xAAAAAAAA_00000005L, m.reg(RBX));
    // Success: the destination gets the source, zero-extended; RAX is untouched.
    m.set(RAX, 0xFFFFFFFF_00000005L);
    m.execute(Opcode.CMPXCHG, 4, r32(RCX), r32(RBX));
    assertEquals(0x2, m.reg(RBX));
    assertEquals(0xFFFFFFFF_00000005L, m.reg(RAX));
  }

  @Test
  void xaddRegisterAndMemory() {
    m.set(RAX, 5).set(RBX, 7);
    m.execute(Opcode.XADD, 8, r64(RAX), r64(RBX));
    assertEquals(12, m.reg(RBX));
    assertEquals(7, m.reg(RAX));

    m.write(DATA, 4, 0xFFFFFFFFL);
    m.set(RSI, DATA).set(RAX, 1);
    m.load(new ProgramBuilder().locked(Opcode.XADD, 4, r32(RAX), mem(RSI, 0, 4)));
    m.step();
    assertEquals(0, m.read(DATA, 4));
    assertEquals(0xFFFFFFFFL, m.reg(RAX));
    assertEquals(Rflags.CF | Rflags.ZF | Rflags.PF, m.flags());
  }

  @Test
  void lockedAddIsTheFullFenceIdiom() {
    // librseq's x86 full fence: lock; addl $0, -128(%rsp)
    m.write(m.reg(RSP) - 128, 4, 77);
    m.load(new ProgramBuilder().locked(Opcode.ADD, 4, imm(0), mem(RSP, -128, 4)));
    assertEquals(CoreStatus.RETIRED, m.step());
    assertEquals(77, m.read(m.reg(RSP) - 128, 4));
    assertEquals(2, m.core.record().accessCount);
  }

  @Test
  void lockWithoutMemoryDestinationIsInvalidOpcode() {
    m.load(new ProgramBuilder().locked(Opcode.ADD, 8, r64(RBX), r64(RAX)));
    assertEquals(CoreStatus.FAULT, m.step());
    assertEquals(Trap.Kind.INVALID_OPCODE, m.core.trap().kind());

    m.set(RSI, DATA);
    m.load(new ProgramBuilder().locked(Opcode.MOV, 8, r64(RBX), mem(RSI, 0, 8)));
    assertEquals(CoreStatus.FAULT, m.step());
    assertEquals(Trap.Kind.INVALID_OPCODE, m.core.trap().kind());

    m.load(new ProgramBuilder().locked(Opcode.CMP, 8, r64(RBX), mem(RSI, 0, 8)));
    assertEquals(CoreStatus.FAULT, m.step(), "cmp does not write: not lockable");
  }
}
