package org.vcpusim.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vcpusim.cpu.exec.Ops.imm;
import static org.vcpusim.cpu.exec.Ops.mem;
import static org.vcpusim.cpu.exec.Ops.r32;
import static org.vcpusim.cpu.exec.Ops.r64;
import static org.vcpusim.cpu.exec.Ops.rip;
import static org.vcpusim.cpu.isa.Registers.RAX;
import static org.vcpusim.cpu.isa.Registers.RBX;
import static org.vcpusim.cpu.isa.Registers.RCX;
import static org.vcpusim.cpu.isa.Registers.RDI;
import static org.vcpusim.cpu.isa.Registers.RDX;
import static org.vcpusim.cpu.isa.Registers.R11;

import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Segment;

/**
 * Segment-base instructions, rdpid, rdtsc(p), syscall, ud1/ud2, hints and prefetches, with #UD
 * when the CPU profile lacks the feature.
 */
class SystemInstructionsTest {

  @Test
  void fsAndGsBaseInstructions() {
    TestMachine m = new TestMachine(CpuFeatures.of(CpuFeature.FSGSBASE));
    m.set(RAX, 0x7f00_1234_5000L);
    assertEquals(CoreStatus.RETIRED, m.execute(Opcode.WRGSBASE, 8, r64(RAX)));
    assertEquals(0x7f00_1234_5000L, m.ctx.gsBase());
    m.execute(Opcode.RDGSBASE, 8, r64(RBX));
    assertEquals(0x7f00_1234_5000L, m.reg(RBX));
    m.set(RCX, 0xFFFF_FFFF_0000_1000L);
    m.execute(Opcode.WRFSBASE, 4, r32(RCX));
    assertEquals(0x1000, m.ctx.fsBase(), "32-bit source is zero-extended");
    m.ctx.setFsBase(0x1_2345_6789L);
    m.set(RDX, -1L);
    m.execute(Opcode.RDFSBASE, 4, r32(RDX));
    assertEquals(0x2345_6789L, m.reg(RDX));
  }

  @Test
  void nonCanonicalBaseIsGeneralProtection() {
    TestMachine m = new TestMachine(CpuFeatures.ALL);
    m.ctx.setGsBase(5);
    m.set(RAX, 0x8000_0000_0000L);
    assertEquals(CoreStatus.FAULT, m.execute(Opcode.WRGSBASE, 8, r64(RAX)));
    assertEquals(Trap.Kind.GENERAL_PROTECTION, m.core.trap().kind());
    assertEquals(5, m.ctx.gsBase());
  }

  @Test
  void featureGatedInstructionsAreInvalidWithoutTheFeature() {
    TestMachine m = new TestMachine(CpuFeatures.NONE);
    for (Opcode op : new Opcode[] {Opcode.RDFSBASE, Opcode.WRFSBASE, Opcode.RDGSBASE,
        Opcode.WRGSBASE, Opcode.RDPID}) {
      m.set(RAX, 0x1000);
      assertEquals(CoreStatus.FAULT, m.execute(op, 8, r64(RAX)), op.name());
      assertEquals(Trap.Kind.INVALID_OPCODE, m.core.trap().kind());
      assertEquals(ProgramBuilder.TEXT, m.ctx.rip(), "RIP stays at the faulting instruction");
      assertEquals(ProgramBuilder.TEXT, m.core.trap().rip());
    }
    assertEquals(CoreStatus.FAULT, m.execute(Opcode.RDTSCP, 0));
    assertEquals(CoreStatus.RETIRED, m.execute(Opcode.RDTSC, 0), "rdtsc is not gated");
    assertEquals(0, m.ctx.gsBase());
    assertEquals(0, m.ctx.fsBase());

    TestMachine withoutFsgs = new TestMachine(CpuFeatures.ALL.without(CpuFeature.FSGSBASE));
    assertEquals(CoreStatus.FAULT, withoutFsgs.execute(Opcode.WRGSBASE, 8, r64(RAX)));
    assertEquals(CoreStatus.RETIRED, withoutFsgs.execute(Opcode.RDPID, 8, r64(RAX)));
  }

  @Test
  void rdpidAndRdtscpReturnTscAux() {
    TestMachine m = new TestMachine(CpuFeatures.ALL, new CountingTiming(10));
    m.core.setTscAux((1 << 12) | 3);
    m.set(RAX, -1L);
    m.execute(Opcode.RDPID, 8, r64(RAX));
    assertEquals(0x1003, m.reg(RAX));
    m.set(RCX, -1L);
    m.execute(Opcode.RDTSCP, 0);
    assertEquals(0x1003, m.reg(RCX));
    long cycle = m.reg(RDX) << 32 | m.reg(RAX);
    assertEquals(11, cycle, "the clock as of the previous retirement (rdpid)");
  }

  @Test
  void rdtscSplitsTheCycleCountIntoEdxEax() {
    TestMachine m = new TestMachine(CpuFeatures.ALL, new CountingTiming(0x1_0000_0005L));
    m.execute(Opcode.NOP, 0);
    m.execute(Opcode.RDTSC, 0);
    assertEquals(6, m.reg(RAX), "low half of 0x1_0000_0006 (one instruction retired before)");
    assertEquals(1, m.reg(RDX), "high half");
  }

  @Test
  void syscallSetsRcxAndR11AndStops() {
    TestMachine m = new TestMachine();
    m.ctx.setRflags(Rflags.CF | Rflags.ZF);
    m.set(RAX, 39);
    assertEquals(CoreStatus.SYSCALL, m.execute(Opcode.SYSCALL, 0));
    assertEquals(ProgramBuilder.TEXT + 4, m.ctx.rip());
    assertEquals(ProgramBuilder.TEXT + 4, m.reg(RCX));
    assertEquals(Rflags.CF | Rflags.ZF | Rflags.FIXED, m.reg(R11));
    assertEquals(1, m.core.retiredInstructions());

    m.load(new ProgramBuilder().op(Opcode.NOP, 0).op(Opcode.SYSCALL, 0).op(Opcode.NOP, 0));
    assertEquals(CoreStatus.SYSCALL, m.run(10));
    assertEquals(ProgramBuilder.TEXT + 8, m.ctx.rip());
  }

  @Test
  void undefinedInstructionsFault() {
    TestMachine m = new TestMachine();
    // librseq's abort signature: ud1 0x53053053(%rip), %edi
    assertEquals(CoreStatus.FAULT, m.execute(Opcode.UD1, 4, rip(0x53053053L, 4), r32(RDI)));
    assertEquals(Trap.Kind.INVALID_OPCODE, m.core.trap().kind());
    assertEquals(0, m.core.record().accessCount, "ud1's memory operand is never accessed");
    assertEquals(CoreStatus.FAULT, m.execute(Opcode.UD2, 0));
    assertEquals(ProgramBuilder.TEXT, m.ctx.rip());
    assertEquals(0, m.core.retiredInstructions());
  }

  @Test
  void hintsFencesAndPrefetches() {
    TestMachine m = new TestMachine();
    for (Opcode op : new Opcode[] {Opcode.PAUSE, Opcode.MFENCE, Opcode.LFENCE, Opcode.SFENCE}) {
      assertEquals(CoreStatus.RETIRED, m.execute(op, 0));
    }
    // TCMalloc's signature nop: nopl 0x53053053(%rip) touches no memory.
    assertEquals(CoreStatus.RETIRED, m.execute(Opcode.NOP, 4, rip(0x53053053L, 0)));
    assertEquals(0, m.core.record().accessCount);

    m.ctx.setGsBase(0x10_0000);
    m.set(RBX, 0x40);
    assertEquals(CoreStatus.RETIRED,
        m.execute(Opcode.PREFETCHT0, 0, mem(Segment.GS, RBX, -1, 1, 8, 0)));
    assertEquals(0x10_0048, m.core.record().prefetchAddress, "unmapped: still no fault");
    assertEquals(0, m.core.record().accessCount);
    m.execute(Opcode.PREFETCHW, 0, mem(RBX, 0, 0));
    assertEquals(0x40, m.core.record().prefetchAddress);
    m.execute(Opcode.MOV, 8, imm(1), r64(RAX));
    assertEquals(-1, m.core.record().prefetchAddress);
  }

  /** A timing model whose clock starts at {@code start} and advances one cycle per instruction. */
  static final class CountingTiming implements TimingModel {
    long cycle;
    long retired;
    long serialized;

    CountingTiming(long start) {
      cycle = start;
    }

    @Override
    public void retire(ExecutionRecord record) {
      retired++;
      cycle++;
      record.retireCycles = 1;
    }

    @Override
    public void chargeSerializing(long cycles) {
      serialized += cycles;
      cycle += cycles;
    }

    @Override
    public long cycle() {
      return cycle;
    }
  }
}
