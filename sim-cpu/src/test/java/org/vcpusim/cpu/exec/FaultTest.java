package org.vcpusim.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.mem.AccessKind;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.cpu.mem.MemoryFault;

/**
 * Faults: the trap describes them, RIP stays at the faulting instruction and nothing the
 * instruction would have changed (registers, flags, memory, RSP) changes.
 */
class FaultTest {
  private final TestMachine m = new TestMachine();

  private void assertTrap(Trap.Kind kind, long rip, long address, AccessKind access,
      MemoryFault fault) {
    Trap t = m.core.trap();
    assertEquals(kind, t.kind());
    assertEquals(rip, t.rip());
    assertEquals(address, t.address());
    assertEquals(access, t.access());
    assertEquals(fault, t.memoryFault());
    assertEquals(rip, m.ctx.rip());
  }

  @Test
  void writeToTextIsAPageFault() {
    m.set(RSI, ProgramBuilder.TEXT).set(RAX, 1);
    assertEquals(CoreStatus.FAULT, m.execute(Opcode.MOV, 8, r64(RAX), mem(RSI, 0, 8)));
    assertTrap(Trap.Kind.PAGE_FAULT, ProgramBuilder.TEXT, ProgramBuilder.TEXT, AccessKind.WRITE,
        MemoryFault.WRITE_PROTECTED);
    assertEquals(0, m.core.retiredInstructions());
  }

  @Test
  void executeFromDataIsAPageFaultOnExecute() {
    m.load(new ProgramBuilder().jmpTo(DATA));
    assertEquals(CoreStatus.RETIRED, m.step());
    assertEquals(CoreStatus.FAULT, m.step());
    assertTrap(Trap.Kind.PAGE_FAULT, DATA, DATA, AccessKind.EXECUTE, MemoryFault.NOT_EXECUTABLE);

    m.core.redirect(0x1000);
    assertEquals(CoreStatus.FAULT, m.step());
    assertTrap(Trap.Kind.PAGE_FAULT, 0x1000, 0x1000, AccessKind.EXECUTE, MemoryFault.NOT_MAPPED);
  }

  @Test
  void decodedInstructionOnANonExecutablePageStillFaults() {
    AssembledProgram p = new ProgramBuilder().op(Opcode.NOP, 0).op(Opcode.NOP, 0).build();
    m.load(p);
    assertEquals(CoreStatus.RETIRED, m.step());
    m.space.protect(ProgramBuilder.TEXT, AddressSpace.PAGE_SIZE, AddressSpace.READ);
    assertEquals(CoreStatus.FAULT, m.step(), "the cached fetch check sees the mprotect");
    assertTrap(Trap.Kind.PAGE_FAULT, ProgramBuilder.TEXT + 4, ProgramBuilder.TEXT + 4,
        AccessKind.EXECUTE, MemoryFault.NOT_EXECUTABLE);
  }

  @Test
  void instructionStraddlingIntoANonExecutablePage() {
    long start = ProgramBuilder.TEXT + AddressSpace.PAGE_SIZE - 2;
    m.load(new ProgramBuilder(start).length(5).op(Opcode.NOP, 0));
    m.space.protect(ProgramBuilder.TEXT + AddressSpace.PAGE_SIZE, AddressSpace.PAGE_SIZE,
        AddressSpace.READ);
    assertEquals(CoreStatus.FAULT, m.step());
    assertTrap(Trap.Kind.PAGE_FAULT, start, ProgramBuilder.TEXT + AddressSpace.PAGE_SIZE,
        AccessKind.EXECUTE, MemoryFault.NOT_EXECUTABLE);
  }

  @Test
  void readModifyWriteOnReadOnlyMemoryChangesNothing() {
    m.space.protect(DATA, AddressSpace.PAGE_SIZE, AddressSpace.READ);
    m.ctx.setRflags(Rflags.CF | Rflags.OF);
    m.set(RSI, DATA + 8).set(RAX, 5);
    assertEquals(CoreStatus.FAULT, m.execute(Opcode.ADD, 8, r64(RAX), mem(RSI, 0, 8)));
    assertTrap(Trap.Kind.PAGE_FAULT, ProgramBuilder.TEXT, DATA + 8, AccessKind.WRITE,
        MemoryFault.WRITE_PROTECTED);
    assertEquals(Rflags.CF | Rflags.OF, m.flags());
    assertEquals(0, m.read(DATA + 8, 8));

    assertEquals(CoreStatus.FAULT, m.execute(Opcode.XADD, 8, r64(RAX), mem(RSI, 0, 8)));
    assertEquals(5, m.reg(RAX));
    assertEquals(CoreStatus.FAULT, m.execute(Opcode.INC, 8, mem(RSI, 0, 8)));
    assertEquals(Rflags.CF | Rflags.OF, m.flags());
    assertEquals(CoreStatus.RETIRED, m.execute(Opcode.CMP, 8, r64(RAX), mem(RSI, 0, 8)),
        "cmp only reads");
  }

  @Test
  void straddlingStoreIntoAReadOnlyPageWritesNoByte() {
    m.space.protect(DATA + AddressSpace.PAGE_SIZE, AddressSpace.PAGE_SIZE, AddressSpace.READ);
    long address = DATA + AddressSpace.PAGE_SIZE - 3;
    m.set(RSI, address).set(RAX, -1L);
    assertEquals(CoreStatus.FAULT, m.execute(Opcode.MOV, 8, r64(RAX), mem(RSI, 0, 8)));
    assertTrap(Trap.Kind.PAGE_FAULT, ProgramBuilder.TEXT, DATA + AddressSpace.PAGE_SIZE,
        AccessKind.WRITE, MemoryFault.WRITE_PROTECTED);
    assertEquals(0, m.read(address, 3), "the writable first page is untouched");
  }

  @Test
  void pushOnAnUnmappedStackLeavesRsp() {
    m.set(RSP, STACK_TOP - TestMachine.STACK_SIZE);
    assertEquals(CoreStatus.FAULT, m.execute(Opcode.PUSH, 8, r64(RAX)));
    assertTrap(Trap.Kind.PAGE_FAULT, ProgramBuilder.TEXT, STACK_TOP - TestMachine.STACK_SIZE - 8,
        AccessKind.WRITE, MemoryFault.NOT_MAPPED);
    assertEquals(STACK_TOP - TestMachine.STACK_SIZE, m.reg(RSP));

    m.set(RSP, STACK_TOP);
    assertEquals(CoreStatus.FAULT, m.execute(Opcode.RET, 8));
    assertEquals(STACK_TOP, m.reg(RSP));
    assertEquals(AccessKind.READ, m.core.trap().access());

    m.set(RSP, STACK_TOP - TestMachine.STACK_SIZE);
    m.load(new ProgramBuilder().call("f").label("f").op(Opcode.NOP, 0));
    assertEquals(CoreStatus.FAULT, m.step());
    assertEquals(STACK_TOP - TestMachine.STACK_SIZE, m.reg(RSP));
    assertEquals(ProgramBuilder.TEXT, m.ctx.rip());
  }

  @Test
  void nonCanonicalDataAddressIsGeneralProtection() {
    m.set(RSI, 0x0000_8000_0000_0000L);
    assertEquals(CoreStatus.FAULT, m.execute(Opcode.MOV, 8, mem(RSI, 0, 8), r64(RAX)));
    assertTrap(Trap.Kind.GENERAL_PROTECTION, ProgramBuilder.TEXT, 0x0000_8000_0000_0000L,
        AccessKind.READ, MemoryFault.NON_CANONICAL);
  }

  @Test
  void notReadable() {
    m.space.protect(DATA, AddressSpace.PAGE_SIZE, 0);
    m.set(RSI, DATA).set(RBX, 3);
    assertEquals(CoreStatus.FAULT, m.execute(Opcode.MOV, 8, mem(RSI, 0, 8), r64(RBX)));
    assertTrap(Trap.Kind.PAGE_FAULT, ProgramBuilder.TEXT, DATA, AccessKind.READ,
        MemoryFault.NOT_READABLE);
    assertEquals(3, m.reg(RBX));
  }

  @Test
  void divideErrorLeavesEverything() {
    m.set(RAX, 10).set(RBX, 0);
    assertEquals(CoreStatus.FAULT, m.execute(Opcode.DIV, 8, r64(RBX)));
    assertTrap(Trap.Kind.DIVIDE_ERROR, ProgramBuilder.TEXT, ProgramBuilder.TEXT, null, null);
    assertEquals(10, m.reg(RAX));
  }

  @Test
  void faultDoesNotReachTimingOrObserver() {
    SystemInstructionsTest.CountingTiming timing = new SystemInstructionsTest.CountingTiming(0);
    TestMachine t = new TestMachine(CpuFeatures.ALL, timing);
    int[] calls = new int[1];
    t.core.setObserver(new CoreObserver() {
      @Override
      public void onRetire(Core core, ExecutionRecord record) {
        calls[0]++;
      }
    });
    t.execute(Opcode.UD2, 0);
    assertEquals(0, timing.retired);
    assertEquals(0, calls[0]);
    t.execute(Opcode.MOV, 8, imm(1), r64(RAX));
    assertEquals(1, timing.retired);
    assertEquals(1, calls[0]);
    assertTrue(t.core.trap().toString().contains("INVALID_OPCODE"));
  }
}
