package org.vcpusim.kernel.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.machine.TestMachines.asm;
import static org.vcpusim.kernel.machine.TestMachines.machine;
import static org.vcpusim.kernel.machine.TestMachines.probeReturns;
import static org.vcpusim.kernel.machine.TestMachines.read;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.exec.Core;
import org.vcpusim.cpu.exec.CoreObserver;
import org.vcpusim.cpu.exec.ExecutionRecord;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.rseq.RseqAbi;
import org.vcpusim.kernel.rseq.RseqEvent;
import org.vcpusim.kernel.rseq.RseqIdUpdatePolicy;
import org.vcpusim.kernel.signal.SignalNumbers;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.topology.CpuMask;

/** rseq through the whole machine: a real core, the scheduler, the return-to-user pipeline. */
class RseqEndToEndTest {
  /** One thread: one critical-section increment, then exit_group. */
  static final String ONE_INCREMENT =
      RseqPrograms.prologue()
          + "  .data\n"
          + "counters: .zero 64\n"
          + "aborts_seen: .quad 0\n"
          + "  .text\n"
          + "  .globl _start\n"
          + "_start:\n"
          + "  mov __rseq_offset(%rip), %r12\n"
          + "  nop\n"
          + RseqPrograms.increment("inc")
          + "  xor %edi, %edi\n"
          + "  mov $231, %eax\n"
          + "  syscall\n"
          + RseqPrograms.abortHandler("inc");

  /**
   * Stops the machine at the first instruction boundary where RIP is {@code target} (after the
   * instruction that leads there retired).
   */
  static final class StopAt implements CoreObserver {
    final Machine machine;
    final long target;
    boolean hit;

    StopAt(Machine machine, long target) {
      this.machine = machine;
      this.target = target;
    }

    @Override
    public void onRetire(Core core, ExecutionRecord record) {
      if (!hit && record.nextRip == target) {
        hit = true;
        machine.stop();
      }
    }
  }

  @Test
  void aPreemptionBeforeEachInstructionAbortsExactlyInsideTheCriticalSection() {
    AssembledProgram prog = asm(ONE_INCREMENT);
    long start = prog.address("inc_start");
    long post = prog.address("inc_post");
    List<Long> points = new ArrayList<>();
    for (var insn : prog.instructions()) {
      if (insn.address >= prog.address("inc_retry") && insn.address <= post) {
        points.add(insn.address);
      }
    }
    assertEquals(8, points.size(), "lea, arm, 5 instructions of the critical section, post");
    int inside = 0;
    for (long point : points) {
      Machine m = machine(1);
      Process p = m.spawnProcess("cs", prog, ProcessOptions.defaults());
      Task t = p.threads().get(0);
      StopAt stop = new StopAt(m, point);
      m.core(0).setObserver(stop);
      assertEquals(RunOutcome.STOPPED, m.runFor(Ticks.fromMillis(1)));
      assertEquals(point, t.context().rip());
      assertTrue(m.preempt(t));
      assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(1)));
      boolean inCs = point >= start && point < post;
      inside += inCs ? 1 : 0;
      long aborts = m.rseq().totalAborts();
      String where = String.format("injection at %#x (cs [%#x, %#x))", point, start, post);
      assertEquals(inCs ? 1 : 0, aborts, where);
      assertEquals(inCs ? 1 : 0, m.rseq().aborts(RseqEvent.PREEMPT), where);
      assertEquals(inCs ? 1 : 0, read(p, "aborts_seen", 8), where);
      assertEquals(1, read(p, "counters", 8), "exactly one increment committed, " + where);
      assertEquals("exit_group(0)", p.exitReason());
      assertTrue(m.findings().isEmpty(), m.findings().toString());
    }
    assertEquals(5, inside);
  }

  static final String SPIN_WITH_HANDLER =
      RseqPrograms.prologue()
          + "  .data\n"
          + "hits: .quad 0\n"
          + "act: .quad handler, 0x04000000, restorer, 0\n"
          + "  .text\n"
          + "  .globl _start\n"
          + "_start:\n"
          + "  mov $13, %eax\n"
          + "  mov $10, %edi\n"
          + "  lea act(%rip), %rsi\n"
          + "  xor %edx, %edx\n"
          + "  mov $8, %r10d\n"
          + "  syscall\n"
          + "spin:\n"
          + "  jmp spin\n"
          + "handler:\n"
          + "  incq hits(%rip)\n"
          + "  ret\n"
          + "restorer:\n"
          + "  mov $15, %eax\n"
          + "  syscall\n";

  enum Event {
    PREEMPTION,
    MIGRATION,
    SIGNAL
  }

  /**
   * The legacy_check shape (kernel.md §3.5): user space overwrites {@code cpu_id_start} with -1,
   * an event happens, and the field shows whether the kernel rewrote the ids.
   */
  @ParameterizedTest
  @CsvSource({
    "LEGACY, PREEMPTION, 0",
    "LEGACY, MIGRATION, 1",
    "LEGACY, SIGNAL, 0",
    "ON_CHANGE, PREEMPTION, -1",
    "ON_CHANGE, MIGRATION, 1",
    "ON_CHANGE, SIGNAL, -1",
  })
  void idFieldsAreRewrittenAsThePolicySays(RseqIdUpdatePolicy policy, Event event, int expected) {
    Machine m = machine(2, b -> b.rseqPolicy(policy));
    AssembledProgram prog = asm(SPIN_WITH_HANDLER);
    Process p = m.spawnProcess("ids", prog, ProcessOptions.defaults().withAffinity(CpuMask.of(0)));
    Task t = p.threads().get(0);
    m.runFor(Ticks.fromMicros(20));
    long area = t.context().fsBase() + UserLayout.RSEQ_OFFSET;
    assertEquals(0, read(p, area + RseqAbi.CPU_ID_OFFSET, 4), "registered and written on CPU 0");
    assertEquals(0, read(p, area + RseqAbi.MM_CID_OFFSET, 4));
    assertTrue(p.addressSpace().store(area + RseqAbi.CPU_ID_START_OFFSET, 4, -1));
    switch (event) {
      case PREEMPTION:
        assertTrue(m.preempt(t));
        break;
      case MIGRATION:
        assertEquals(0, m.setAffinity(t, CpuMask.of(1)));
        break;
      default:
        m.sendSignal(t, SignalNumbers.SIGUSR1);
        break;
    }
    m.runFor(Ticks.fromMicros(20));
    assertEquals(expected, (int) read(p, area + RseqAbi.CPU_ID_START_OFFSET, 4));
    int cpu = event == Event.MIGRATION ? 1 : 0;
    assertEquals(cpu, m.schedTask(t).cpu());
    assertEquals(cpu, read(p, area + RseqAbi.CPU_ID_OFFSET, 4));
    assertEquals(cpu, read(p, area + RseqAbi.MM_CID_OFFSET, 4), "the identity allocator's cid");
    assertEquals(event == Event.SIGNAL ? 1 : 0, read(p, "hits", 8));
    assertEquals(prog.address("spin"), t.context().rip(), "back in the loop");
    assertTrue(m.findings().isEmpty(), m.findings().toString());
  }

  static final String FENCE =
      "  .data\n"
          + "ret: .quad -1\n"
          + "  .text\n"
          + "  .globl _start\n"
          + "_start:\n"
          + "  mov $324, %eax\n"
          + "  mov $0x100, %edi\n"
          + "  xor %esi, %esi\n"
          + "  xor %edx, %edx\n"
          + "  syscall\n"
          + "  mov $20000, %ecx\n"
          + "1: dec %ecx\n"
          + "  jnz 1b\n"
          + "  mov $324, %eax\n"
          + "  mov $0x80, %edi\n"
          + "  xor %esi, %esi\n"
          + "  xor %edx, %edx\n"
          + "  syscall\n"
          + "  mov %rax, ret(%rip)\n"
          + "  xor %edi, %edi\n"
          + "  mov $231, %eax\n"
          + "  syscall\n"
          + "  .globl spinner\n"
          + "spinner:\n"
          + "  jmp spinner\n";

  /** {@code membarrier()} returns to user mode only after its IPIs have run on their targets. */
  @Test
  void aMembarrierCallerReturnsOnlyAfterItsIpisRan() {
    Machine m = machine(2);
    AssembledProgram prog = asm(FENCE);
    Process p =
        m.spawnProcess("fence", prog, ProcessOptions.defaults().withAffinity(CpuMask.of(0)));
    Task caller = p.threads().get(0);
    m.spawnThread(p, "spinner", new long[0], CpuMask.of(1), "spinner");
    List<Long> rseqEventsAtReturn = new ArrayList<>();
    probeReturns(m, exit -> {
      if (exit.task() == caller && exit.is(ExitToUser.SYSCALL)) {
        rseqEventsAtReturn.add(m.membarrier().rseqEvents());
      }
    });
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMicros(100)));
    assertEquals(0, read(p, "ret", 8));
    assertEquals(1, m.membarrier().ipisSent());
    assertEquals(List.of(0L, 1L), rseqEventsAtReturn,
        "the fence's return saw the IPI already handled on CPU 1");
    assertTrue(m.cycles(0, CostCategory.MEMBARRIER) >= TestMachines.ZEN5.kernel()
        .ipiSendAndDeliver());
  }
}
