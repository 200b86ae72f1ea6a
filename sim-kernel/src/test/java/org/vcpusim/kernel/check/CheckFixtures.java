package org.vcpusim.kernel.check;

import java.util.List;
import java.util.stream.Collectors;
import org.vcpusim.kernel.machine.Finding;
import org.vcpusim.kernel.machine.Machine;

/**
 * Programs and finding filters for the checker tests (machines: {@link
 * org.vcpusim.kernel.machine.TestMachines}).
 *
 * <p>{@link #SPIN} holds three thread bodies in a process whose {@code main} only ends its own
 * thread: {@code spinner(n)} spins 100 iterations then yields, n times; {@code sleeper(n)} sleeps
 * 50 µs n times; {@code clobber()} stores 77 into its own {@code rseq->mm_cid} and calls {@code
 * getpid}.
 *
 * <p><b>Caveats:</b> test scaffolding.
 */
final class CheckFixtures {
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

  /** The check findings of {@code kind}. */
  static List<Finding> findings(Machine m, CheckKind kind) {
    return m.findings().stream()
        .filter(f -> f.kind() == Finding.Kind.CHECK_VIOLATION
            && f.message().startsWith(kind.id() + ": "))
        .collect(Collectors.toList());
  }
}
