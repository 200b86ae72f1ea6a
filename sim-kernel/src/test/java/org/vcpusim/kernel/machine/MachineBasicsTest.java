package org.vcpusim.kernel.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.machine.TestMachines.asm;
import static org.vcpusim.kernel.machine.TestMachines.machine;
import static org.vcpusim.kernel.machine.TestMachines.read;

import org.junit.jupiter.api.Test;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.kernel.task.Process;

class MachineBasicsTest {
  static final String SUM =
      "  .data\n"
          + "result: .quad 0\n"
          + "  .text\n"
          + "  .globl _start\n"
          + "_start:\n"
          + "  xor %eax, %eax\n"
          + "  mov $1000, %ecx\n"
          + "1: add %rcx, %rax\n"
          + "  dec %rcx\n"
          + "  jnz 1b\n"
          + "  mov %rax, result(%rip)\n"
          + "  mov $3, %edi\n"
          + "  mov $231, %eax\n"
          + "  syscall\n"
          + "  ud2\n";

  @Test
  void singleThreadRunsToCompletionWithItsResultInMemory() {
    Machine m = machine(2);
    Process p = m.spawnProcess("sum", asm(SUM), ProcessOptions.defaults());
    RunOutcome outcome = m.runFor(Ticks.fromMillis(10));
    assertEquals(RunOutcome.ALL_EXITED, outcome);
    assertEquals(500_500L, read(p, "result", 8));
    assertTrue(p.hasExited());
    assertEquals("exit_group(3)", p.exitReason());
    assertEquals(3, p.threads().get(0).exitCode());
    assertTrue(m.findings().isEmpty(), m.findings().toString());
    assertEquals(1, m.stats().counter("kernel.syscalls.exit_group").value());
  }
}
