package org.vcpusim.kernel.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.vcpusim.kernel.machine.TestMachines.asm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.exec.Core;
import org.vcpusim.cpu.exec.CoreObserver;
import org.vcpusim.cpu.exec.ExecutionRecord;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.kernel.gsmode.ArchPrctl;
import org.vcpusim.kernel.gsmode.GsConflictPolicy;
import org.vcpusim.kernel.gsmode.GsModeArgs;
import org.vcpusim.kernel.gsmode.GsModeConfig;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.topology.CpuMask;
import org.vcpusim.kernel.topology.CpuTopology;

/**
 * The GS mode's promise as a property: at every user instruction a task of an mm in MM_VCPU mode
 * retires, its GS base is {@code origin + stride × its cid} — except inside a window the program
 * itself opened by writing GS ({@code wrgsbase}, or {@code arch_prctl(ARCH_SET_GS)}), which lasts
 * until the task's next return to user.
 *
 * <p>Generated: CPUs (1–3), worker threads (1–5, so that some runs have more threads than CPUs),
 * the conflict policy, and per run a seed that drives each worker's choices (an LCG in registers):
 * how often it writes GS with {@code wrgsbase} or {@code ARCH_SET_GS} (one iteration in 2, 4, 8 or 16, each), and a 2 µs
 * {@code nanosleep} every eighth iteration on average; the 10 µs tick preempts, the balancer and
 * wake-up placement migrate, and between 3 µs runs the test pins one worker to a CPU and frees
 * the previous one, so cids (here the CPU number) change under the workers. An {@code onRetire} observer checks every retired
 * instruction; a return-to-user probe (after the population step) closes the windows.
 */
class GsPopulationPropertyTest {
  static final long STRIDE = 4096;
  static final int ITERATIONS = 100;

  static final String PROGRAM = GsPrograms.prologue()
      + "  .data\n"
      + "  .balign 4096\n"
      + "percpu: .zero 16384\n"
      + "libdata: .zero 4096\n"
      + "  .balign 8\n"
      + "long_sleep: .quad 1, 0\n"
      + "short_sleep: .quad 0, 2000\n"
      + "mode: .long 1, 0\n"
      + "  .quad " + STRIDE + ", percpu\n"
      + "  .text\n"
      + "  .globl _start\n"
      + "_start:\n"
      + GsPrograms.prctl("PT_SET_GS_MODE", "mode")
      + "  mov %rax, %r12\n"
      + "  lea long_sleep(%rip), %rdi\n" // the main thread sleeps while the workers run
      + "  xor %esi, %esi\n"
      + "  mov $35, %eax\n"
      + "  syscall\n"
      + "  xor %edi, %edi\n"
      + "  mov $231, %eax\n"
      + "  syscall\n"
      + "  .globl worker\n" // rdi = seed, rsi = iterations, rdx = wrgsbase mask, rcx = arch mask
      + "worker:\n"
      + "  push %rbx\n"
      + "  push %r12\n"
      + "  push %r13\n"
      + "  push %r14\n"
      + "  push %r15\n"
      + "  mov %rdi, %rbx\n"
      + "  mov %rsi, %r12\n"
      + "  mov %rdx, %r13\n"
      + "  mov %rcx, %r14\n"
      + "  mov $6364136223846793005, %r15\n"
      + "1: incq %gs:0\n"
      + "  imul %r15, %rbx\n"
      + "  add $1442695041, %rbx\n"
      + "  mov %rbx, %rax\n"
      + "  shr $33, %rax\n"
      + "  test %r13, %rax\n"
      + "  jnz 2f\n"
      + "  lea libdata(%rip), %rax\n"
      + "  wrgsbase %rax\n"
      + "  incq %gs:8\n"
      + "2: mov %rbx, %rax\n"
      + "  shr $40, %rax\n"
      + "  test %r14, %rax\n"
      + "  jnz 3f\n"
      + "  mov $ARCH_SET_GS, %edi\n"
      + "  lea libdata(%rip), %rsi\n"
      + "  mov $158, %eax\n"
      + "  syscall\n"
      + "  incq %gs:16\n"
      + "3: mov %rbx, %rax\n"
      + "  shr $50, %rax\n"
      + "  test $7, %rax\n"
      + "  jnz 4f\n"
      + "  lea short_sleep(%rip), %rdi\n"
      + "  xor %esi, %esi\n"
      + "  mov $35, %eax\n"
      + "  syscall\n"
      + "4: mov $8, %ecx\n"
      + "5: dec %ecx\n"
      + "  jnz 5b\n"
      + "  dec %r12\n"
      + "  jnz 1b\n"
      + "  pop %r15\n"
      + "  pop %r14\n"
      + "  pop %r13\n"
      + "  pop %r12\n"
      + "  pop %rbx\n"
      + "  xor %eax, %eax\n"
      + "  ret\n";

  static final AssembledProgram PROG = asm(PROGRAM);

  /** Totals over every example, so that the property is seen to have been exercised. */
  static final long[] TOTALS = new long[4];

  @Test
  void gsBaseIsTheCidsAtEveryInstructionOutsideWindowsTheProgramOpened() {
    Arrays.fill(TOTALS, 0);
    qt().withFixedSeed(0x65_6d6f_6465L)
        .withExamples(Integer.getInteger("vcpusim.qt.examples", 200))
        .forAll(integers().between(1, 3), integers().between(1, 5), longs().all(),
            booleans().all())
        .checkAssert((cpus, threads, seed, overwrite) -> runOne(cpus, threads, seed,
            overwrite ? GsConflictPolicy.OVERWRITE : GsConflictPolicy.REFUSE));
    String totals = String.format(Locale.ROOT,
        "checked %d instructions, %d in windows, %d cid changes, %d gs writes", TOTALS[0],
        TOTALS[1], TOTALS[2], TOTALS[3]);
    System.out.println("GsPopulationPropertyTest: " + totals);
    assertTrue(TOTALS[0] > 100_000, totals);
    assertTrue(TOTALS[1] > 100, totals);
    assertTrue(TOTALS[2] > 100, totals);
  }

  static void runOne(int cpus, int threads, long seed, GsConflictPolicy policy) {
    Machine m = new Machine(MachineConfig.builder(CpuTopology.flat(cpus), TestMachines.ZEN5)
        .sched(ParamTestCounterTest.paramSched())
        .seed(seed)
        .gsMode(GsModeConfig.defaults().withConflictPolicy(policy).withAccessChecker(false))
        .build());
    Process p = m.spawnProcess("gs", PROG, ProcessOptions.defaults());
    m.runFor(Ticks.fromMicros(5));
    assertEquals(0, p.threads().get(0).context().get(Registers.R12), "PT_SET_GS_MODE");
    GsModeArgs mode = m.gsMode().mode(p.pid());
    assertTrue(mode.isMmVcpu());

    boolean[] window = new boolean[64];
    int[] lastCid = new int[64];
    Arrays.fill(lastCid, -1);
    List<String> failures = new ArrayList<>();
    long[] counts = new long[4];
    TestMachines.probeReturns(m, exit -> window[exit.task().tid()] = false);
    CoreObserver check = new CoreObserver() {
      @Override
      public void onRetire(Core core, ExecutionRecord record) {
        Task t = m.currentOn(core.id());
        int tid = t.tid();
        if (record.insn.opcode == Opcode.WRGSBASE) {
          window[tid] = true;
        } else if (record.insn.opcode == Opcode.SYSCALL
            && t.context().get(Registers.RAX) == 158
            && t.context().get(Registers.RDI) == ArchPrctl.ARCH_SET_GS) {
          window[tid] = true;
        }
        if (window[tid]) {
          counts[1]++;
          return;
        }
        counts[0]++;
        int cid = m.mmCid(t);
        if (lastCid[tid] != cid) {
          counts[2] += lastCid[tid] >= 0 ? 1 : 0;
          lastCid[tid] = cid;
        }
        long want = mode.base(cid);
        if (t.context().gsBase() != want && failures.size() < 5) {
          failures.add(String.format(Locale.ROOT,
              "task %d at rip %#x (%s) on cpu %d: GS base %#x, cid %d wants %#x", tid,
              record.insn.address, record.insn.text, core.id(), t.context().gsBase(), cid, want));
        }
      }
    };
    for (int cpu = 0; cpu < cpus; cpu++) {
      m.core(cpu).setObserver(check);
    }
    long lcg = seed;
    for (int i = 0; i < threads; i++) {
      lcg = lcg * 6364136223846793005L + 1442695040888963407L;
      long wrMask = (2L << ((lcg >>> 20) & 3)) - 1; // one iteration in 2, 4, 8 or 16
      long archMask = (2L << ((lcg >>> 30) & 3)) - 1;
      m.spawnThread(p, "worker", new long[] {lcg, ITERATIONS, wrMask, archMask}, null, "w" + i);
    }
    // Between short runs the test pins one worker to a CPU of its choosing and frees the one
    // it pinned before: forced migrations on top of the balancer's and the wake-ups'.
    Task pinned = null;
    for (int round = 0; round < 400 && p.liveThreads() > 1; round++) {
      m.runFor(Ticks.fromMicros(3));
      lcg = lcg * 6364136223846793005L + 1442695040888963407L;
      Task next = p.threads().get(1 + (int) ((lcg >>> 33) % threads));
      if (pinned != null && !pinned.hasExited()) {
        m.setAffinity(pinned, m.topology().all());
      }
      if (!next.hasExited()) {
        m.setAffinity(next, CpuMask.of((int) ((lcg >>> 45) % cpus)));
        pinned = next;
      }
    }
    assertEquals(1, p.liveThreads(), "the workers finished");
    assertEquals(List.of(), failures);
    assertEquals(List.of(), m.findings());
    TOTALS[0] += counts[0];
    TOTALS[1] += counts[1];
    TOTALS[2] += counts[2];
    TOTALS[3] += m.gsMode().costs().writes();
  }
}
