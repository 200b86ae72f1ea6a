package org.vcpusim.kernel.check;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.asm.Assembler;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.cpu.profile.CpuProfiles;
import org.vcpusim.kernel.machine.Finding;
import org.vcpusim.kernel.machine.Machine;
import org.vcpusim.kernel.machine.MachineConfig;
import org.vcpusim.kernel.machine.UserLayout;
import org.vcpusim.kernel.sched.SchedParams;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.topology.CpuTopology;

/**
 * Machines, programs and finding filters for the checker tests.
 *
 * <p>{@link #SPIN} holds three thread bodies in a process whose {@code main} only ends its own
 * thread: {@code spinner(n)} spins 100 iterations then yields, n times; {@code sleeper(n)} sleeps
 * 50 µs n times; {@code clobber()} stores 77 into its own {@code rseq->mm_cid} and calls {@code
 * getpid}.
 *
 * <p><b>Caveats:</b> test scaffolding.
 */
final class CheckFixtures {
  static final CpuProfile ZEN5 = CpuProfiles.load("zen5");

  static final String SPIN =
      "  .data\n"
          + "ts: .quad 0, 50000\n"
          + "  .text\n"
          + "  .globl main\n"
          + "main:\n"
          + "  xor %edi, %edi\n"
          + "  mov $60, %eax\n"
          + "  syscall\n"
          + "  .globl spinner\n"
          + "spinner:\n"
          + "  mov %rdi, %r8\n"
          + "1:\n"
          + "  mov $100, %ecx\n"
          + "2:\n"
          + "  dec %ecx\n"
          + "  jnz 2b\n"
          + "  mov $24, %eax\n"
          + "  syscall\n"
          + "  dec %r8\n"
          + "  jnz 1b\n"
          + "  xor %eax, %eax\n"
          + "  ret\n"
          + "  .globl sleeper\n"
          + "sleeper:\n"
          + "  mov %rdi, %r8\n"
          + "3:\n"
          + "  lea ts(%rip), %rdi\n"
          + "  xor %esi, %esi\n"
          + "  mov $35, %eax\n"
          + "  syscall\n"
          + "  dec %r8\n"
          + "  jnz 3b\n"
          + "  xor %eax, %eax\n"
          + "  ret\n"
          + "  .globl clobber\n"
          + "clobber:\n"
          + "  mov __rseq_offset(%rip), %r12\n"
          + "  movl $77, %fs:24(%r12)\n"
          + "  mov $39, %eax\n"
          + "  syscall\n"
          + "  xor %eax, %eax\n"
          + "  ret\n";

  private CheckFixtures() {}

  /** A 100 µs tick and 300 µs latency, so that a few ms of simulated time see many switches. */
  static SchedParams fastSched(int nrCpus) {
    return new SchedParams(
        10_000,
        300 * Ticks.PER_MICROSECOND,
        50 * Ticks.PER_MICROSECOND,
        50 * Ticks.PER_MICROSECOND,
        Math.max(100, nrCpus * 25L) * Ticks.PER_MICROSECOND,
        ZEN5.kernel().contextSwitch());
  }

  /** A machine of {@code cpus} flat CPUs, fast scheduler, seed 1, then {@code tweak}. */
  static Machine machine(int cpus, Consumer<MachineConfig.Builder> tweak) {
    MachineConfig.Builder b =
        MachineConfig.builder(CpuTopology.flat(cpus), ZEN5).sched(fastSched(cpus)).seed(1);
    tweak.accept(b);
    return new Machine(b.build());
  }

  static AssembledProgram asm(String source) {
    return Assembler.assemble(source, "check.s", UserLayout.programLayout());
  }

  static long read(Process p, long address, int size) {
    AddressSpace s = p.addressSpace();
    long v = s.load(address, size);
    if (s.hasFault()) {
      s.clearFault();
      throw new AssertionError("cannot read 0x" + Long.toHexString(address) + " in " + p);
    }
    return v;
  }

  /** The check findings of {@code kind}. */
  static List<Finding> findings(Machine m, CheckKind kind) {
    return m.findings().stream()
        .filter(f -> f.kind() == Finding.Kind.CHECK_VIOLATION
            && f.message().startsWith(kind.id() + ": "))
        .collect(Collectors.toList());
  }
}
