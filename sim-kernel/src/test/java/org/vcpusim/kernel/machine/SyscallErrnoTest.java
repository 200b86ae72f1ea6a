package org.vcpusim.kernel.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vcpusim.kernel.machine.TestMachines.asm;
import static org.vcpusim.kernel.machine.TestMachines.machine;
import static org.vcpusim.kernel.machine.TestMachines.read;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.task.Process;

/**
 * Every success and errno path of the machine's own system calls, issued by a simulated program
 * from a table: one row per call (number and six argument expressions), one result slot per row.
 */
class SyscallErrnoTest {
  record Case(String label, long expected, String nr, String... args) {}

  static final long EFAULT = Errno.fail(Errno.EFAULT);
  static final long EINVAL = Errno.fail(Errno.EINVAL);
  static final long ESRCH = Errno.fail(Errno.ESRCH);
  static final long ENOMEM = Errno.fail(Errno.ENOMEM);
  static final long EPERM = Errno.fail(Errno.EPERM);
  static final long EEXIST = Errno.fail(Errno.EEXIST);
  static final long EBADF = Errno.fail(Errno.EBADF);
  static final long ENOSYS = Errno.fail(Errno.ENOSYS);
  static final long ENOENT = Errno.fail(Errno.ENOENT);
  static final long HINT = 0x2000_0000L;

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    c.add(new Case("nanosleep NULL", EFAULT, "35", "0", "0"));
    c.add(new Case("nanosleep beyond user space", EFAULT, "35", "0x7ffffffffff8", "0"));
    c.add(new Case("nanosleep negative seconds", EINVAL, "35", "ts_neg", "0"));
    c.add(new Case("nanosleep nsec = 1e9", EINVAL, "35", "ts_bignsec", "0"));
    c.add(new Case("nanosleep zero", 0, "35", "ts_zero", "0"));
    c.add(new Case("setaffinity NULL mask", EFAULT, "203", "0", "8", "0"));
    c.add(new Case("setaffinity empty mask", EINVAL, "203", "0", "8", "mask_zero"));
    c.add(new Case("setaffinity no such task", ESRCH, "203", "4242", "8", "mask_all"));
    c.add(new Case("setaffinity self", 0, "203", "0", "8", "mask_all"));
    c.add(new Case("setaffinity own tid, short length", 0, "203", "1", "1", "mask_all"));
    c.add(new Case("getaffinity length not a multiple of 8", EINVAL, "204", "0", "4", "buf"));
    c.add(new Case("getaffinity NULL", EFAULT, "204", "0", "8", "0"));
    c.add(new Case("getaffinity no such task", ESRCH, "204", "4242", "8", "buf"));
    c.add(new Case("getaffinity copies cpumask_size", 8, "204", "0", "16", "buf"));
    c.add(new Case("getpid", 1, "39"));
    c.add(new Case("gettid", 1, "186"));
    c.add(new Case("sched_yield", 0, "24"));
    c.add(new Case("mmap length 0", EINVAL, "9", "0", "0", "3", "0x22", "-1", "0"));
    c.add(new Case("mmap of a file", EBADF, "9", "0", "4096", "3", "0x02", "3", "0"));
    c.add(new Case("mmap shared", EINVAL, "9", "0", "4096", "3", "0x21", "-1", "0"));
    c.add(new Case("mmap no type", EINVAL, "9", "0", "4096", "3", "0x20", "-1", "0"));
    c.add(new Case("mmap offset unaligned", EINVAL, "9", "0", "4096", "3", "0x22", "-1", "100"));
    c.add(new Case("mmap fixed below mmap_min_addr", EPERM, "9", "0x1000", "4096", "3", "0x32",
        "-1", "0"));
    c.add(new Case("mmap fixed unaligned", EINVAL, "9", "0x20001001", "4096", "3", "0x32", "-1",
        "0"));
    c.add(new Case("mmap fixed-noreplace over the text", EEXIST, "9", "0x401000", "4096", "3",
        "0x100022", "-1", "0"));
    c.add(new Case("mmap length overflows", ENOMEM, "9", "0", "-1", "3", "0x22", "-1", "0"));
    c.add(new Case("mmap at a free hint", HINT, "9", "0x20000000", "4096", "3", "0x22", "-1",
        "0"));
    c.add(new Case("munmap unaligned", EINVAL, "11", "0x20000001", "4096"));
    c.add(new Case("munmap length 0", EINVAL, "11", "0x20000000", "0"));
    c.add(new Case("munmap nothing mapped", 0, "11", "0x30000000", "4096"));
    c.add(new Case("mprotect unaligned", EINVAL, "10", "0x20000001", "4096", "1"));
    c.add(new Case("mprotect unknown bits", EINVAL, "10", "0x20000000", "4096", "0x10"));
    c.add(new Case("mprotect unmapped", ENOMEM, "10", "0x30000000", "4096", "1"));
    c.add(new Case("mprotect length 0", 0, "10", "0x20000000", "0", "1"));
    c.add(new Case("mprotect read-only", 0, "10", "0x20000000", "4096", "1"));
    c.add(new Case("mprotect past the mapping", ENOMEM, "10", "0x20000000", "8192", "3"));
    c.add(new Case("unknown number", ENOSYS, "400"));
    c.add(new Case("negative number", ENOSYS, "-1"));
    c.add(new Case("execve NULL", EFAULT, "59", "0", "0", "0"));
    c.add(new Case("execve unknown path", ENOENT, "59", "path_none", "0", "0"));
    return c;
  }

  @Test
  void eachCallReturnsItsValueOrItsErrno() {
    List<Case> cases = cases();
    StringBuilder src = new StringBuilder();
    src.append("  .data\n  .balign 8\ntable:\n");
    for (Case k : cases) {
      src.append("  .quad ").append(k.nr());
      for (int i = 0; i < 6; i++) {
        src.append(", ").append(i < k.args().length ? k.args()[i] : "0");
      }
      src.append('\n');
    }
    src.append("results: .zero ").append(8 * cases.size()).append('\n')
        .append("ts_neg: .quad -1, 0\n")
        .append("ts_bignsec: .quad 0, 1000000000\n")
        .append("ts_zero: .quad 0, 0\n")
        .append("mask_zero: .quad 0\n")
        .append("mask_all: .quad 3\n")
        .append("buf: .quad -1, -1\n")
        .append("path_none: .asciz \"/none\"\n")
        .append("  .text\n  .globl _start\n_start:\n")
        .append("  lea table(%rip), %rbx\n")
        .append("  lea results(%rip), %rbp\n")
        .append("  mov $").append(cases.size()).append(", %r12d\n")
        .append("1: mov (%rbx), %rax\n")
        .append("  mov 8(%rbx), %rdi\n")
        .append("  mov 16(%rbx), %rsi\n")
        .append("  mov 24(%rbx), %rdx\n")
        .append("  mov 32(%rbx), %r10\n")
        .append("  mov 40(%rbx), %r8\n")
        .append("  mov 48(%rbx), %r9\n")
        .append("  syscall\n")
        .append("  mov %rax, (%rbp)\n")
        .append("  add $56, %rbx\n")
        .append("  add $8, %rbp\n")
        .append("  dec %r12d\n")
        .append("  jnz 1b\n")
        .append("  xor %edi, %edi\n  mov $231, %eax\n  syscall\n");
    Machine m = machine(2);
    AssembledProgram prog = asm(src.toString());
    Process p = m.spawnProcess("errno", prog, ProcessOptions.defaults());
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(1)));
    assertEquals(List.of(), m.findings());
    long results = prog.address("results");
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      long got = read(p, results + 8L * i, 8);
      if (got != cases.get(i).expected()) {
        wrong.add(cases.get(i).label() + ": got " + got + ", expected " + cases.get(i).expected());
      }
    }
    assertEquals(List.of(), wrong);
    assertEquals(3, read(p, "buf", 8), "getaffinity wrote the mask of CPUs 0 and 1");
    assertEquals(-1, read(p, prog.address("buf") + 8, 8), "and no more than cpumask_size");
    assertEquals(1, m.stats().counter("kernel.syscalls.syscall_400").value());
    assertEquals(1, m.stats().counter("kernel.syscalls.out_of_range").value());
    assertEquals(10, m.stats().counter("kernel.syscalls.mmap").value());
  }
}
