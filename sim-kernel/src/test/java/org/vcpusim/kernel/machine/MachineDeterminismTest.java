package org.vcpusim.kernel.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.machine.TestMachines.asm;
import static org.vcpusim.kernel.machine.TestMachines.machine;
import static org.vcpusim.kernel.machine.TestMachines.read;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

class MachineDeterminismTest {
  /**
   * Each worker sums i*i for i in [1, n] into its own slot of {@code out}, yielding every 256
   * iterations and sleeping 3 µs every 1024, and returns it; no data is shared between workers, so
   * the results do not depend on interleaving. Arguments: RDI = slot address, RSI = n. The first
   * thread only exits, leaving the process to the workers.
   */
  static final String WORKERS =
      "  .data\n"
          + "ts: .quad 0, 3000\n"
          + "out: .zero 64\n"
          + "  .text\n"
          + "  .globl main\n"
          + "main:\n"
          + "  xor %edi, %edi\n"
          + "  mov $60, %eax\n"
          + "  syscall\n"
          + "  .globl worker\n"
          + "worker:\n"
          + "  mov %rdi, %r12\n"
          + "  mov %rsi, %r13\n"
          + "  xor %ebx, %ebx\n"
          + "  mov $1, %r14\n"
          + "1: mov %r14, %rax\n"
          + "  imul %r14, %rax\n"
          + "  add %rax, %rbx\n"
          + "  test $255, %r14\n"
          + "  jnz 2f\n"
          + "  mov $24, %eax\n"
          + "  syscall\n"
          + "  test $1023, %r14\n"
          + "  jnz 2f\n"
          + "  lea ts(%rip), %rdi\n"
          + "  xor %esi, %esi\n"
          + "  mov $35, %eax\n"
          + "  syscall\n"
          + "2: inc %r14\n"
          + "  cmp %r13, %r14\n"
          + "  jbe 1b\n"
          + "  mov %rbx, (%r12)\n"
          + "  mov %rbx, %rax\n"
          + "  ret\n";

  static final int THREADS = 6;

  /** Runs the workers on a 2-CPU machine; returns [results..., exit codes..., now]. */
  static List<Long> run(Consumer<MachineConfig.Builder> tweak, StringBuilder json) {
    Machine m = machine(2, tweak);
    AssembledProgram prog = asm(WORKERS);
    long out = prog.address("out");
    Process p = m.spawnProcess("workers", prog, ProcessOptions.defaults().withEntry("main"));
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      tasks.add(m.spawnThread(p, "worker", new long[] {out + 8L * i, 3000 + 500L * i}, null,
          "w" + i));
    }
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(50)));
    List<Long> r = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      r.add(read(p, out + 8L * i, 8));
    }
    for (Task t : tasks) {
      r.add(t.exitCode());
    }
    if (json != null) {
      json.append(m.statsJson());
    }
    assertTrue(m.findings().isEmpty());
    return r;
  }

  static long expected(long n) {
    return n * (n + 1) * (2 * n + 1) / 6;
  }

  @Test
  void theSameSeedGivesByteIdenticalStatistics() {
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    run(c -> c.seed(7), a);
    run(c -> c.seed(7), b);
    assertEquals(a.toString(), b.toString());
    assertTrue(a.toString().contains("\"kernel.syscalls.sched_yield\""));
    assertTrue(a.toString().contains("\"kernel.syscalls.nanosleep\""));
  }

  @Test
  void exactAndQuantumModesComputeTheSameResultsOnARaceFreeProgram() {
    StringBuilder exactJson = new StringBuilder();
    StringBuilder quantumJson = new StringBuilder();
    List<Long> exact = run(c -> c.exact(), exactJson);
    List<Long> quantum = run(c -> c.quantum(2 * Ticks.PER_MICROSECOND), quantumJson);
    assertEquals(exact, quantum);
    for (int i = 0; i < THREADS; i++) {
      long n = 3000 + 500L * i;
      assertEquals(expected(n), exact.get(i));
      assertEquals(expected(n), exact.get(THREADS + i));
    }
    assertNotEquals(exactJson.toString(), quantumJson.toString(),
        "the modes interleave differently, so their timing differs");
  }
}
