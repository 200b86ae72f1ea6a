package org.vcpusim.kernel.rseq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.testing.KernelFixture.ABORT;
import static org.vcpusim.kernel.testing.KernelFixture.AREA;
import static org.vcpusim.kernel.testing.KernelFixture.CODE;
import static org.vcpusim.kernel.testing.KernelFixture.COUNTER;
import static org.vcpusim.kernel.testing.KernelFixture.POST_COMMIT;
import static org.vcpusim.kernel.testing.KernelFixture.START;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.exec.Core;
import org.vcpusim.cpu.exec.CoreStatus;
import org.vcpusim.cpu.exec.CpuFeatures;
import org.vcpusim.cpu.exec.DecodedProgram;
import org.vcpusim.cpu.exec.TimingModel;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Condition;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Operand;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.isa.Segment;
import org.vcpusim.cpu.isa.SourceLocation;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.testing.KernelFixture;

/**
 * The fixture's critical section executed by a real sim-cpu {@link Core}, with a preemption (or a
 * migration) injected before each instruction in turn, as the machine injects interrupts at
 * instruction boundaries: the fixup aborts exactly when the interrupted instruction lies in {@code
 * [start_ip, start_ip + post_commit_offset)}, never after the commit, and the counter is
 * incremented exactly once whatever the injection point.
 */
class CriticalSectionExecutionTest {
  /** The fixture's code as decoded instructions (the assembler stands in by hand). */
  private static AssembledProgram program() {
    List<Instruction> l = new ArrayList<>();
    add(l, CODE, 2, Opcode.MOV, null, 4, -1,
        mem(Registers.RDI, 0, 4), Operand.register(Registers.RSI, 4, false));
    add(l, CODE + 2, 7, Opcode.LEA, null, 8, -1,
        Operand.memory(Segment.NONE, Registers.RIP, Registers.NONE, 1, 0xff7, 0),
        Operand.register64(Registers.RAX));
    add(l, CODE + 9, 4, Opcode.MOV, null, 8, -1,
        Operand.register64(Registers.RAX), mem(Registers.RDI, 8, 8));
    add(l, START, 3, Opcode.CMP, null, 4, -1,
        Operand.register(Registers.RSI, 4, false), mem(Registers.RDI, 4, 4));
    add(l, START + 3, 6, Opcode.JCC, Condition.NE, 0, ABORT);
    add(l, START + 9, 3, Opcode.MOV, null, 8, -1,
        mem(Registers.RDX, 0, 8), Operand.register64(Registers.RCX));
    add(l, START + 12, 4, Opcode.ADD, null, 8, -1,
        Operand.immediate(1, 8), Operand.register64(Registers.RCX));
    add(l, START + 16, 3, Opcode.MOV, null, 8, -1,
        Operand.register64(Registers.RCX), mem(Registers.RDX, 0, 8));
    add(l, POST_COMMIT, 1, Opcode.RET, null, 8, -1);
    add(l, ABORT, 2, Opcode.JMP, null, 8, CODE);
    return new AssembledProgram("counter.s", List.of(), new TreeMap<>(), l);
  }

  private static Operand mem(int base, long disp, int size) {
    return Operand.memory(Segment.NONE, base, Registers.NONE, 1, disp, size);
  }

  private static void add(List<Instruction> l, long address, int length, Opcode op,
      Condition cc, int size, long target, Operand... operands) {
    l.add(new Instruction(address, length, l.size(), op, cc, false, size, List.of(operands),
        target, new SourceLocation("counter.s", l.size() + 1, 1), op.name()));
  }

  /** Instructions a clean run executes from {@code retry} up to the commit. */
  private static final int CLEAN_RUN = 8;
  private static final int STEP_CAP = 100;

  @Test
  void aPreemptionBeforeEachInstructionAbortsExactlyInsideAndCountsOnce() {
    for (boolean migrate : new boolean[] {false, true}) {
      for (int inject = 0; inject <= CLEAN_RUN; inject++) {
        runWithInjection(inject, migrate);
      }
    }
  }

  private static void runWithInjection(int inject, boolean migrate) {
    String what = (migrate ? "migration" : "preemption") + " before instruction " + inject;
    KernelFixture f = new KernelFixture(4, 2, RseqConfig.of(RseqIdUpdatePolicy.LEGACY, 1, 1));
    Task t = f.process("p", 1);
    f.register(t, AREA);
    assertTrue(f.returnToUser(t, ExitToUser.SYSCALL));
    t.context().set(Registers.RDI, AREA);
    t.context().set(Registers.RDX, COUNTER);
    t.context().setRip(CODE);
    Core core = new Core(1, CpuFeatures.ALL, TimingModel.NONE);
    core.attach(t.context(), t.process().addressSpace(), new DecodedProgram(program()));
    for (int i = 0; i < inject; i++) {
      assertEquals(CoreStatus.RETIRED, core.step(), what);
    }
    long interrupted = t.context().rip();
    f.rseq.onPreempt(t);
    int reasons = ExitToUser.SWITCHED_IN;
    if (migrate) {
      f.rseq.onMigrate(t);
      f.kernel.run(t, 2);
      reasons |= ExitToUser.MIGRATED;
    }
    assertTrue(f.returnToUser(t, reasons), what);
    boolean inside = interrupted >= START && interrupted < POST_COMMIT;
    assertEquals(inside ? ABORT : interrupted, t.context().rip(), what);
    assertEquals(inside ? 1 : 0, f.rseq.totalAborts(), what);
    int steps = 0;
    while (t.context().rip() != POST_COMMIT) {
      assertEquals(CoreStatus.RETIRED, core.step(), what);
      assertTrue(++steps < STEP_CAP, what + ": no progress");
    }
    assertEquals(1, KernelFixture.u64(t, COUNTER), what + ": incremented exactly once");
    assertEquals(migrate ? 2 : 1, KernelFixture.u32(t, AREA + RseqAbi.CPU_ID_OFFSET), what);
  }
}
