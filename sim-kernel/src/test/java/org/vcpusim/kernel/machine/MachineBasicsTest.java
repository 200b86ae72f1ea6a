package org.vcpusim.kernel.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.machine.TestMachines.asm;
import static org.vcpusim.kernel.machine.TestMachines.machine;
import static org.vcpusim.kernel.machine.TestMachines.read;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.kernel.signal.SignalNumbers;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.topology.CpuMask;

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

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void eachThreadGetsAGlibcLikeTlsBlockAndLibcRegistersRseqWhenAsked(boolean libcRseq) {
    String src = "  .data\n"
        + "offset: .quad 0\n"
        + "self: .quad 0\n"
        + "cpu: .quad 0\n"
        + "  .text\n"
        + "  .globl _start\n"
        + "_start:\n"
        + "  mov __rseq_offset(%rip), %rax\n"
        + "  mov %rax, offset(%rip)\n"
        + "  mov %fs:0, %rcx\n"
        + "  mov %rcx, self(%rip)\n"
        + "  movslq %fs:4(%rax), %rdx\n"
        + "  mov %rdx, cpu(%rip)\n"
        + "  xor %edi, %edi\n"
        + "  mov $231, %eax\n"
        + "  syscall\n";
    Machine m = machine(4);
    Process p = m.spawnProcess("tls", asm(src), ProcessOptions.defaults()
        .withLibcRseq(libcRseq).withAffinity(CpuMask.of(2)));
    long fsBase = p.threads().get(0).context().fsBase();
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(1)));
    assertEquals(UserLayout.RSEQ_OFFSET, read(p, "offset", 8));
    assertEquals(fsBase, read(p, "self", 8));
    assertEquals(libcRseq ? 2 : -2, read(p, "cpu", 8), "cpu_id");
    assertEquals(libcRseq ? 32 : 0, read(p, UserLayout.RSEQ_SIZE_SYMBOL, 4), "__rseq_size");
    assertEquals(0, read(p, UserLayout.RSEQ_FLAGS_SYMBOL, 4));
    assertEquals(libcRseq ? 1 : 0, m.rseq().registrations());
  }

  @Test
  void aSignalInterruptsNanosleepWithEintrAndTheTimeLeft() {
    String src = "  .data\n"
        + "ts: .quad 0, 1000000\n"
        + "rem: .quad -1, -1\n"
        + "ret: .quad 0\n"
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
        + "  lea ts(%rip), %rdi\n"
        + "  lea rem(%rip), %rsi\n"
        + "  mov $35, %eax\n"
        + "  syscall\n"
        + "  mov %rax, ret(%rip)\n"
        + "  xor %edi, %edi\n"
        + "  mov $231, %eax\n"
        + "  syscall\n"
        + "handler:\n"
        + "  incq hits(%rip)\n"
        + "  ret\n"
        + "restorer:\n"
        + "  mov $15, %eax\n"
        + "  syscall\n";
    Machine m = machine(1);
    Process p = m.spawnProcess("sleeper", asm(src), ProcessOptions.defaults());
    m.runFor(Ticks.fromMicros(100));
    long sent = m.now();
    m.sendSignal(p.threads().get(0), SignalNumbers.SIGUSR1);
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(5)));
    assertEquals(Errno.fail(Errno.EINTR), read(p, "ret", 8));
    assertEquals(1, read(p, "hits", 8));
    assertEquals(0, read(p, "rem", 8));
    long leftNs = read(p, p.program().program().address("rem") + 8, 8);
    assertTrue(leftNs > 900_000 && leftNs < 903_000, "rem " + leftNs + " ns after " + sent);
    assertTrue(m.now() < Ticks.fromMicros(200), "woken early, not at the timer");
  }
}
