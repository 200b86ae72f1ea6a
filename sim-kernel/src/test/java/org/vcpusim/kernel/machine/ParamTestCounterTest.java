package org.vcpusim.kernel.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.machine.TestMachines.asm;
import static org.vcpusim.kernel.machine.TestMachines.machine;
import static org.vcpusim.kernel.machine.TestMachines.read;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.kernel.rseq.RseqEvent;
import org.vcpusim.kernel.sched.SchedParams;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * The kernel selftest {@code param_test -T i} (reference kernel.md §4.1): T threads each add 1 to
 * {@code counters[cpu_id]} R times in an rseq critical section on C CPUs, and the counters must
 * sum to T × R. A lost update — a thread preempted between its load and its commit whose section
 * was not aborted, while another thread incremented the same CPU's slot — makes the sum short.
 *
 * <p>Disturbances, as the selftest's options add them: preemption by the scheduler tick ({@link
 * #paramSched}: a 10 µs tick and 10 µs slices, so that a run of a few milliseconds sees hundreds
 * of tick preemptions, as the selftest's much longer runs do at HZ=250), and by role ({@code
 * index % 4}), every 64 repetitions:
 * {@code sched_yield()} (-y), {@code tgkill(SIGUSR1)} to the next thread, whose handler does some
 * work (-k), {@code membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ)} (the fences of test {@code
 * r}), or nothing. Every thread registers the process for the RSEQ membarrier and installs the
 * handler first. rseq itself is registered by "libc" at thread start.
 *
 * <p>Size: {@code -Dvcpusim.paramtest.threads} (default 64), {@code .cpus} (8), {@code .reps}
 * (default 20000). The run prints the sum and the aborts by cause.
 */
public class ParamTestCounterTest {
  public static final String PROGRAM =
      RseqPrograms.prologue()
          + "  .data\n"
          + "  .balign 64\n"
          + "counters: .zero 512\n"
          + "aborts_seen: .quad 0\n"
          + "handled: .quad 0\n"
          + "tgid: .quad 0\n"
          + "act: .quad handler, 0x04000000, restorer, 0\n"
          + "  .text\n"
          + "  .globl main\n"
          + "main:\n"
          + "  xor %edi, %edi\n"
          + "  mov $60, %eax\n"
          + "  syscall\n"
          + "  .globl worker\n"
          + "worker:\n" // rdi = index, rsi = reps, rdx = first tid, rcx = threads
          + "  push %rbx\n"
          + "  push %rbp\n"
          + "  push %r12\n"
          + "  push %r13\n"
          + "  push %r14\n"
          + "  push %r15\n"
          + "  mov %rdi, %r13\n"
          + "  mov %rsi, %r14\n"
          + "  mov %rdx, %r15\n"
          + "  mov %rcx, %rbx\n"
          + "  mov $13, %eax\n" // rt_sigaction(SIGUSR1, &act, NULL, 8)
          + "  mov $10, %edi\n"
          + "  lea act(%rip), %rsi\n"
          + "  xor %edx, %edx\n"
          + "  mov $8, %r10d\n"
          + "  syscall\n"
          + "  mov $324, %eax\n" // membarrier(REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0)
          + "  mov $0x100, %edi\n"
          + "  xor %esi, %esi\n"
          + "  xor %edx, %edx\n"
          + "  syscall\n"
          + "  mov $39, %eax\n"
          + "  syscall\n"
          + "  mov %rax, tgid(%rip)\n"
          + "  mov __rseq_offset(%rip), %r12\n"
          + "  xor %ebp, %ebp\n"
          + "loop:\n"
          + RseqPrograms.increment("inc")
          + "  inc %rbp\n"
          + "  test $63, %rbp\n"
          + "  jnz next\n"
          + "  mov %r13, %rax\n"
          + "  and $3, %eax\n"
          + "  jz do_yield\n"
          + "  cmp $1, %eax\n"
          + "  je do_signal\n"
          + "  cmp $2, %eax\n"
          + "  je do_fence\n"
          + "  jmp next\n"
          + "do_yield:\n"
          + "  mov $24, %eax\n"
          + "  syscall\n"
          + "  jmp next\n"
          + "do_signal:\n" // tgkill(tgid, first + (index + 1) % threads, SIGUSR1)
          + "  lea 1(%r13), %rax\n"
          + "  xor %edx, %edx\n"
          + "  div %rbx\n"
          + "  lea (%r15,%rdx), %rsi\n"
          + "  mov tgid(%rip), %rdi\n"
          + "  mov $10, %edx\n"
          + "  mov $234, %eax\n"
          + "  syscall\n"
          + "  jmp next\n"
          + "do_fence:\n" // membarrier(PRIVATE_EXPEDITED_RSEQ, 0, 0)
          + "  mov $324, %eax\n"
          + "  mov $0x80, %edi\n"
          + "  xor %esi, %esi\n"
          + "  xor %edx, %edx\n"
          + "  syscall\n"
          + "next:\n"
          + "  cmp %r14, %rbp\n"
          + "  jb loop\n"
          + "  pop %r15\n"
          + "  pop %r14\n"
          + "  pop %r13\n"
          + "  pop %r12\n"
          + "  pop %rbp\n"
          + "  pop %rbx\n"
          + "  xor %eax, %eax\n"
          + "  ret\n"
          + RseqPrograms.abortHandler("inc")
          + "handler:\n"
          + "  lock incq handled(%rip)\n"
          + "  mov $200, %ecx\n"
          + "1: dec %ecx\n"
          + "  jnz 1b\n"
          + "  ret\n"
          + "restorer:\n"
          + "  mov $15, %eax\n"
          + "  syscall\n";

  /** A 10 µs tick, 40 µs latency, 10 µs minimum and wake-up granularity, 50 µs balancing. */
  public static SchedParams paramSched() {
    return new SchedParams(100_000, 40 * Ticks.PER_MICROSECOND, 10 * Ticks.PER_MICROSECOND,
        10 * Ticks.PER_MICROSECOND, 50 * Ticks.PER_MICROSECOND,
        TestMachines.ZEN5.kernel().contextSwitch());
  }

  @Test
  void perCpuCountersSumExactlyUnderPreemptionYieldsSignalsAndFences() {
    int threads = Integer.getInteger("vcpusim.paramtest.threads", 64);
    int cpus = Integer.getInteger("vcpusim.paramtest.cpus", 8);
    int reps = Integer.getInteger("vcpusim.paramtest.reps", 20000);
    long wallStart = System.nanoTime();
    Machine m = machine(cpus, b -> b.sched(paramSched()));
    AssembledProgram prog = asm(PROGRAM);
    Process p = m.spawnProcess("param_test", prog, ProcessOptions.defaults().withEntry("main"));
    int firstTid = p.pid() + 1;
    for (int i = 0; i < threads; i++) {
      Task t = m.spawnThread(p, "worker", new long[] {i, reps, firstTid, threads}, null, "w" + i);
      assertEquals(firstTid + i, t.tid());
    }
    RunOutcome outcome = m.runFor(Ticks.fromSeconds(2));
    double wall = (System.nanoTime() - wallStart) / 1e9;

    long sum = 0;
    for (int cpu = 0; cpu < cpus; cpu++) {
      sum += read(p, prog.address("counters") + 8L * cpu, 8);
    }
    long handled = read(p, "handled", 8);
    long seen = read(p, "aborts_seen", 8);
    StringBuilder log = new StringBuilder(String.format(Locale.ROOT,
        "param_test -T i: %d threads x %d reps on %d CPUs: sum %d (expected %d), aborts %d"
            + " (handler saw %d) by cause:", threads, reps, cpus, sum, (long) threads * reps,
        m.rseq().totalAborts(), seen));
    for (RseqEvent e : RseqEvent.values()) {
      log.append(String.format(Locale.ROOT, " %s %d", e.counterName(), m.rseq().aborts(e)));
    }
    log.append(String.format(Locale.ROOT,
        "; signals handled %d, membarrier IPIs %d, yields %d, switches %d (preemptions %d),"
            + " migrations %d; simulated %.3f ms, wall %.1f s",
        handled, m.membarrier().ipisSent(),
        m.stats().counter("kernel.syscalls.sched_yield").value(),
        m.stats().longGauge("sched.switches").value(),
        m.stats().counter("sched.switch_out.preempt").value(),
        m.stats().counter("sched.migrations").value(), m.now() / 1e9, wall));
    System.out.println(log);

    assertEquals(RunOutcome.ALL_EXITED, outcome, log.toString());
    assertTrue(m.findings().isEmpty(), m.findings().toString());
    assertEquals((long) threads * reps, sum, log.toString());
    assertTrue(m.rseq().totalAborts() > 0, "a run without aborts proves nothing: " + log);
    assertEquals(m.rseq().totalAborts(), seen, "every abort reached the abort handler");
    assertTrue(m.rseq().aborts(RseqEvent.PREEMPT) + m.rseq().aborts(RseqEvent.MIGRATE) > 0, log
        .toString());
    assertTrue(m.rseq().aborts(RseqEvent.SIGNAL) > 0, log.toString());
    assertTrue(m.rseq().aborts(RseqEvent.MEMBARRIER) > 0, log.toString());
    assertTrue(handled > 0 && m.membarrier().ipisSent() > 0);
  }
}
