package org.vcpusim.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.cpu.exec.Ops.imm;
import static org.vcpusim.cpu.exec.Ops.mem;
import static org.vcpusim.cpu.exec.Ops.r16;
import static org.vcpusim.cpu.exec.Ops.r32;
import static org.vcpusim.cpu.exec.Ops.r64;
import static org.vcpusim.cpu.exec.Ops.r8;
import static org.vcpusim.cpu.exec.TestMachine.DATA;
import static org.vcpusim.cpu.isa.Registers.NONE;
import static org.vcpusim.cpu.isa.Registers.RAX;
import static org.vcpusim.cpu.isa.Registers.RCX;
import static org.vcpusim.cpu.isa.Registers.RDX;
import static org.vcpusim.cpu.isa.Registers.RSI;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Condition;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Segment;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.cpu.mem.Loader;

/** Whole programs through the run loops, with the timing model and observer hooks. */
class ProgramTest {

  /** rax = sum of rcx quadwords at rsi; ends with a syscall. */
  static AssembledProgram sumArray() {
    return new ProgramBuilder()
        .op(Opcode.XOR, 4, r32(RAX), r32(RAX))
        .op(Opcode.XOR, 4, r32(RDX), r32(RDX))
        .label("loop")
        .op(Opcode.ADD, 8, mem(Segment.NONE, RSI, RDX, 8, 0, 8), r64(RAX))
        .op(Opcode.INC, 8, r64(RDX))
        .op(Opcode.CMP, 8, r64(RCX), r64(RDX))
        .jcc(Condition.NE, "loop")
        .op(Opcode.SYSCALL, 0)
        .build();
  }

  @Test
  void sumsAnArray() {
    TestMachine m = new TestMachine().load(sumArray());
    long expected = 0;
    for (int i = 0; i < 1000; i++) {
      long v = i * 0x9E3779B97F4A7C15L;
      m.write(DATA + 8L * i, 8, v);
      expected += v;
    }
    m.set(RSI, DATA).set(RCX, 1000);
    assertEquals(CoreStatus.SYSCALL, m.run(1_000_000));
    assertEquals(expected, m.reg(RAX));
    assertEquals(2 + 4 * 1000 + 1, m.core.retiredInstructions());
  }

  @Test
  void timingModelAndObserverSeeEveryRetiredInstruction() {
    SystemInstructionsTest.CountingTiming timing = new SystemInstructionsTest.CountingTiming(0);
    TestMachine m = new TestMachine(CpuFeatures.ALL, timing).load(sumArray());
    List<String> accesses = new ArrayList<>();
    long[] retired = new long[1];
    m.core.setObserver(new CoreObserver() {
      @Override
      public void onMemoryAccess(Core core, long address, int size, boolean write,
          Segment segment, long rip) {
        accesses.add(Long.toHexString(address) + "/" + size + (write ? "w" : "r") + "@"
            + Long.toHexString(rip));
      }

      @Override
      public void onRetire(Core core, ExecutionRecord record) {
        retired[0]++;
        assertEquals(1, record.retireCycles, "the timing model ran first");
        assertEquals(7, record.asid);
      }
    });
    m.set(RSI, DATA).set(RCX, 3);
    assertEquals(CoreStatus.SYSCALL, m.run(100));
    assertEquals(15, retired[0]);
    assertEquals(15, timing.retired);
    long addInsn = ProgramBuilder.TEXT + 8;
    assertEquals(List.of(
        Long.toHexString(DATA) + "/8r@" + Long.toHexString(addInsn),
        Long.toHexString(DATA + 8) + "/8r@" + Long.toHexString(addInsn),
        Long.toHexString(DATA + 16) + "/8r@" + Long.toHexString(addInsn)), accesses);
  }

  @Test
  void runLoopsStopOnBudgetCycleAndRequest() {
    SystemInstructionsTest.CountingTiming timing = new SystemInstructionsTest.CountingTiming(0);
    TestMachine m = new TestMachine(CpuFeatures.ALL, timing).load(sumArray());
    m.set(RSI, DATA).set(RCX, 100);
    assertEquals(CoreStatus.RETIRED, m.run(10));
    assertEquals(10, m.core.retiredInstructions());
    assertEquals(CoreStatus.RETIRED, m.core.runUntilCycle(25));
    assertEquals(25, timing.cycle());
    m.core.setObserver(new CoreObserver() {
      @Override
      public void onRetire(Core core, ExecutionRecord record) {
        if (core.retiredInstructions() == 30) {
          core.requestStop();
        }
      }
    });
    assertEquals(CoreStatus.STOPPED, m.run(1000));
    assertEquals(30, m.core.retiredInstructions());
    assertEquals(CoreStatus.RETIRED, m.core.runUntilCycle(Long.MAX_VALUE, 5), "bounded");
    assertEquals(35, m.core.retiredInstructions());
  }

  /**
   * The GS-mode Pop fast path of /work/shared/reference/userspace.md §6 column (c): the per-id
   * slab is addressed through %gs only.
   */
  @Test
  void gsModePopFastPath() {
    AssembledProgram p = new ProgramBuilder()
        .op(Opcode.MOVZX, 8, mem(Segment.GS, NONE, RSI, 4, 0, 2), r64(RAX))
        .op(Opcode.MOV, 8, mem(Segment.GS, NONE, RAX, 8, -8, 8), r64(RDX))
        .op(Opcode.TEST, 1, imm(1, 1), r8(RDX))
        .jcc(Condition.NE, "underflow")
        .op(Opcode.MOV, 8, mem(Segment.GS, NONE, RAX, 8, -16, 8), r64(RCX))
        .op(Opcode.LEA, 8, mem(RAX, -1, 0), r64(RAX))
        .op(Opcode.MOV, 2, r16(RAX), mem(Segment.GS, NONE, RSI, 4, 0, 2))
        .op(Opcode.PREFETCHT0, 0, mem(RCX, 0, 0))
        .op(Opcode.SYSCALL, 0)
        .label("underflow")
        .op(Opcode.UD2, 0)
        .build();
    TestMachine m = new TestMachine().load(p);
    long slab = DATA + 0x1000;
    m.ctx.setGsBase(slab);
    int sizeClass = 3;
    m.write(slab + 4 * sizeClass, 2, 10); // header.current = 10
    m.write(slab + 8 * 10 - 8, 8, 0x7000_1000L); // object
    m.write(slab + 8 * 10 - 16, 8, 0x7000_2000L); // next object
    m.set(RSI, sizeClass);
    List<Long> prefetches = new ArrayList<>();
    int[] gsAccesses = new int[1];
    m.core.setObserver(new CoreObserver() {
      @Override
      public void onMemoryAccess(Core core, long address, int size, boolean write,
          Segment segment, long rip) {
        if (segment == Segment.GS) {
          gsAccesses[0]++;
        }
      }

      @Override
      public void onRetire(Core core, ExecutionRecord record) {
        if (record.prefetchAddress != -1) {
          prefetches.add(record.prefetchAddress);
        }
      }
    });
    assertEquals(CoreStatus.SYSCALL, m.run(20));
    assertEquals(0x7000_1000L, m.reg(RDX), "popped object");
    assertEquals(9, m.read(slab + 4 * sizeClass, 2), "committed");
    assertEquals(List.of(0x7000_2000L), prefetches, "prefetch of the next object");
    assertEquals(4, gsAccesses[0], "three loads and the commit store go through %gs");
  }

  @Test
  void threadsOfTwoProcessesShareOneCore() {
    AssembledProgram p = new ProgramBuilder()
        .label("top")
        .op(Opcode.INC, 8, mem(RSI, 0, 8))
        .jmp("top")
        .build();
    DecodedProgram decoded = new DecodedProgram(p);
    AddressSpace a = new AddressSpace(1);
    Loader.load(p, a);
    a.map(DATA, AddressSpace.PAGE_SIZE, AddressSpace.READ | AddressSpace.WRITE);
    AddressSpace b = a.fork(2);
    ThreadContext ta = new ThreadContext();
    ThreadContext tb = new ThreadContext();
    for (ThreadContext t : new ThreadContext[] {ta, tb}) {
      t.setRip(p.address("top"));
      t.set(RSI, DATA);
    }
    Core core = new Core(0, CpuFeatures.NONE, TimingModel.NONE);
    for (int slice = 0; slice < 6; slice++) {
      boolean first = slice % 2 == 0;
      core.attach(first ? ta : tb, first ? a : b, decoded);
      assertEquals(CoreStatus.RETIRED, core.run(first ? 10 : 4));
      assertEquals(first ? 1 : 2, core.record().asid, "records carry the process's ASID");
    }
    assertEquals(15, a.load(DATA, 8));
    assertEquals(6, b.load(DATA, 8));
    assertEquals(p.address("top"), ta.rip());
  }

  @Test
  void detachedCoreRefusesToStep() {
    Core core = new Core(0, CpuFeatures.NONE, TimingModel.NONE);
    assertThrows(IllegalStateException.class, core::step);
    assertTrue(!core.isAttached());
  }
}
