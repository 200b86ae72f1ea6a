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
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.topology.CpuMask;

class MachineSchedulingTest {
  static final String SPIN =
      "  .data\n"
          + "c0: .quad 0\n"
          + "c1: .quad 0\n"
          + "  .text\n"
          + "  .globl worker\n"
          + "worker:\n"
          + "1: incq (%rdi)\n"
          + "  jmp 1b\n";

  @Test
  void twoThreadsOnOneCpuArePreemptedByTheTickAndBothProgress() {
    Machine m = machine(1);
    AssembledProgram prog = asm(SPIN);
    Process p = m.spawnProcess("spin", prog,
        ProcessOptions.defaults().withEntry("worker").withArgs(prog.address("c0")));
    m.spawnThread(p, "worker", new long[] {prog.address("c1")}, null, "w1");
    assertEquals(RunOutcome.TIME_LIMIT, m.runFor(Ticks.fromMillis(3)));
    long c0 = read(p, "c0", 8);
    long c1 = read(p, "c1", 8);
    assertTrue(c0 > 0 && c1 > 0, c0 + " " + c1);
    assertTrue(Math.abs(c0 - c1) < 0.2 * (c0 + c1), "unfair split " + c0 + " / " + c1);
    long preemptions = m.stats().counter("sched.switch_out.preempt").value();
    assertTrue(preemptions >= 5, "preemptions " + preemptions);
    assertTrue(m.stats().longGauge("cpu0.ticks").value() >= 25);
  }

  static final String SLEEP =
      "  .data\n"
          + "ts: .quad 0, 100000\n"
          + "before: .quad 0\n"
          + "after: .quad 0\n"
          + "ret: .quad -1\n"
          + "  .text\n"
          + "  .globl _start\n"
          + "_start:\n"
          + "  movq $1, before(%rip)\n"
          + "  lea ts(%rip), %rdi\n"
          + "  xor %esi, %esi\n"
          + "  mov $35, %eax\n"
          + "  syscall\n"
          + "  mov %rax, ret(%rip)\n"
          + "  movq $1, after(%rip)\n"
          + "  xor %edi, %edi\n"
          + "  mov $60, %eax\n"
          + "  syscall\n";

  @Test
  void nanosleepBlocksTheTaskUntilItsTimerAndTheCpuIdles() {
    Machine m = machine(1);
    Process p = m.spawnProcess("sleeper", asm(SLEEP), ProcessOptions.defaults());
    assertEquals(RunOutcome.TIME_LIMIT, m.runFor(Ticks.fromMicros(50)));
    assertEquals(1, read(p, "before", 8));
    assertEquals(0, read(p, "after", 8));
    assertTrue(m.idlePs(0) > Ticks.fromMicros(45), "idle " + m.idlePs(0));
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(1)));
    assertEquals(1, read(p, "after", 8));
    assertEquals(0, read(p, "ret", 8));
    long end = m.now();
    assertTrue(end >= Ticks.fromMicros(100) && end < Ticks.fromMicros(105), "ended at " + end);
    assertEquals(1, m.stats().counter("sched.wakeups").value());
  }

  static final String MOVER =
      "  .data\n"
          + "count: .quad 0\n"
          + "mask: .quad 4\n"
          + "ret: .quad -1\n"
          + "  .text\n"
          + "  .globl spinner\n"
          + "spinner:\n"
          + "1: incq count(%rip)\n"
          + "  jmp 1b\n"
          + "  .globl mover\n"
          + "mover:\n"
          + "  mov $200000, %ecx\n"
          + "2: dec %ecx\n"
          + "  jnz 2b\n"
          + "  mov $8, %esi\n"
          + "  lea mask(%rip), %rdx\n"
          + "  mov $203, %eax\n"
          + "  syscall\n"
          + "  mov %rax, ret(%rip)\n"
          + "  ret\n";

  @Test
  void schedSetaffinityMovesARunningThreadToAnAllowedCpu() {
    Machine m = machine(3);
    List<String> returns = new ArrayList<>();
    probeReturns(m, exit -> {
      if (exit.is(ExitToUser.MIGRATED)) {
        returns.add(exit.task().name() + "@" + exit.cpu());
      }
    });
    AssembledProgram prog = asm(MOVER);
    Process p = m.spawnProcess("spinner", prog,
        ProcessOptions.defaults().withEntry("spinner").withAffinity(CpuMask.of(0)));
    Task spinner = p.threads().get(0);
    Task mover = m.spawnThread(p, "mover", new long[] {spinner.tid()}, CpuMask.of(1), "mover");
    m.runFor(Ticks.fromMicros(20));
    assertEquals(0, m.schedTask(spinner).cpu());
    long countBefore = read(p, "count", 8);
    m.runFor(Ticks.fromMicros(200));
    assertEquals(0, read(p, "ret", 8));
    assertTrue(mover.hasExited());
    assertEquals(2, m.schedTask(spinner).cpu());
    assertEquals(CpuMask.of(2), m.schedTask(spinner).cpusAllowed());
    assertEquals(List.of("spinner@2"), returns);
    assertEquals(1, m.stats().counter("sched.switch_out.migrate").value());
    long countAfter = read(p, "count", 8);
    m.runFor(Ticks.fromMicros(50));
    assertTrue(read(p, "count", 8) > countAfter && countAfter > countBefore);
    assertEquals(null, m.currentOn(0));
  }

  @Test
  void idleCpusAccountTheirTimeAndTheCycleStackAddsUp() {
    Machine m = machine(2);
    Process p = m.spawnProcess("sleeper", asm(MachineSchedulingTest.SLEEP),
        ProcessOptions.defaults().withAffinity(CpuMask.of(0)));
    m.runFor(Ticks.fromMillis(1));
    assertTrue(p.hasExited());
    long now = m.now();
    assertEquals(now, m.idlePs(1));
    assertEquals(now, m.stats().longGauge("cpu1.idle_ticks").value());
    long busy0 = now - m.idlePs(0);
    assertTrue(busy0 > 0 && busy0 < Ticks.fromMicros(5), "cpu0 busy " + busy0);
    for (int cpu = 0; cpu < 2; cpu++) {
      long sum = 0;
      for (CostCategory c : CostCategory.values()) {
        if (c != CostCategory.IDLE) {
          sum += m.cycles(cpu, c);
        }
      }
      assertEquals(m.stats().longGauge("cpu" + cpu + ".cycles").value(), sum);
      long idleCycles = m.cycles(cpu, CostCategory.IDLE);
      long total = Ticks.toCycles(now, m.frequencyHz());
      assertTrue(Math.abs(sum + idleCycles - total) <= 2, cpu + ": " + sum + " + " + idleCycles
          + " vs " + total);
    }
    assertTrue(m.cycles(0, CostCategory.KERNEL_SWITCH) > 0);
    assertTrue(m.cycles(0, CostCategory.RETURN_TO_USER) > 0);
  }

  @Test
  void anIpiReachesABusyCpuAtTheFirstBoundaryAfterItsLatency() {
    Machine m = machine(1);
    AssembledProgram prog = asm(SPIN);
    Process p = m.spawnProcess("spin", prog,
        ProcessOptions.defaults().withEntry("worker").withArgs(prog.address("c0")));
    m.runFor(Ticks.fromMicros(30));
    long sent = m.now();
    List<Long> at = new ArrayList<>();
    m.sendIpi(0, cpu -> at.add(m.now()));
    m.runFor(Ticks.fromMicros(10));
    long due = sent + Ticks.fromCycles(TestMachines.ZEN5.kernel().ipiSendAndDeliver(),
        m.frequencyHz());
    assertEquals(1, at.size());
    assertTrue(at.get(0) >= due && at.get(0) - due < Ticks.fromNanos(100),
        "handled at " + at.get(0) + ", due " + due);
    assertTrue(read(p, "c0", 8) > 0);
    assertEquals(1, m.stats().longGauge("cpu0.ipis").value());
  }
}
