package org.vcpusim.kernel.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.machine.TestMachines.asm;
import static org.vcpusim.kernel.machine.TestMachines.machine;
import static org.vcpusim.kernel.machine.TestMachines.read;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

class MachineProcessTest {
  static final String SURVIVOR =
      "  .data\n"
          + "result: .quad 0\n"
          + "  .text\n"
          + "  .globl _start\n"
          + "_start:\n"
          + "  mov $100000, %ecx\n"
          + "1: add %rcx, %rax\n"
          + "  dec %rcx\n"
          + "  jnz 1b\n"
          + "  mov %rax, result(%rip)\n"
          + "  ret\n";

  @ParameterizedTest
  @CsvSource({
    "'mov $0x10, %rax; mov (%rax), %rbx', SIGSEGV, 'at rip=0x401008, fault address 0x10 (trap 14)',"
        + " page_fault",
    "'xor %ecx, %ecx; div %rcx', SIGFPE, 'at rip=0x401003, fault address 0x401003 (trap 0)',"
        + " divide_error",
    "'ud2', SIGILL, 'at rip=0x401001, fault address 0x401001 (trap 6)', invalid_opcode",
    "'mov $0x401002, %rax; jmp *%rax', SIGSEGV, 'si_code 128) killed task 2 (victim, pid 2) at"
        + " rip=0x401002', no_instruction",
    "'mov $0x4000000, %rax; jmp *%rax', SIGSEGV, 'fault address 0x4000000 (trap 14)', page_fault",
  })
  void aFaultKillsOnlyItsProcessAndIsRecordedAsAFinding(
      String faulting, String signal, String detail, String counter) {
    Machine m = machine(2);
    Process survivor = m.spawnProcess("survivor", asm(SURVIVOR), ProcessOptions.defaults());
    String src = "  .text\n  .globl _start\n_start:\n  nop\nhere:\n  "
        + faulting.replace("; ", "\n  ") + "\n  ud2\n";
    AssembledProgram prog = asm(src);
    Process victim = m.spawnProcess("victim", prog, ProcessOptions.defaults());
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(5)));
    assertEquals(1, m.findings().size(), m.findings().toString());
    Finding f = m.findings().get(0);
    assertEquals(Finding.Kind.FATAL_SIGNAL, f.kind());
    assertEquals(victim.pid(), f.tid());
    assertTrue(f.message().startsWith(signal), f.message());
    assertTrue(f.message().contains(detail), f.message());
    assertTrue(victim.hasExited());
    assertEquals(f.message(), victim.exitReason());
    long sum = 100_000L * 100_001L / 2;
    assertEquals(sum, read(survivor, "result", 8));
    assertEquals("exit_group(" + (sum & 0xff) + ") on return from entry", survivor.exitReason());
    assertEquals(1, m.stats().counter("kernel.fatal_signals").value());
    assertEquals(1, m.stats().counter("kernel.faults." + counter).value());
  }

  @Test
  void aThreadReturningFromItsEntryExitsWithItsReturnValue() {
    String src = "  .text\n"
        + "  .globl _start\n"
        + "_start:\n"
        + "  mov $1000000, %ecx\n"
        + "1: dec %ecx\n"
        + "  jnz 1b\n"
        + "  mov $0x1234, %eax\n"
        + "  ret\n"
        + "  .globl child\n"
        + "child:\n"
        + "  lea 5(%rdi), %rax\n"
        + "  ret\n";
    Machine m = machine(2);
    Process p = m.spawnProcess("p", asm(src), ProcessOptions.defaults());
    Task child = m.spawnThread(p, "child", new long[] {0x7000_0000_0000L}, null, "child");
    m.runFor(Ticks.fromMicros(100));
    assertTrue(child.hasExited());
    assertEquals(0x7000_0000_0005L, child.exitCode());
    assertFalse(p.hasExited());
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(10)));
    assertEquals("exit_group(52) on return from entry", p.exitReason());
  }

  static final String FORK =
      "  .data\n"
          + "value: .quad 0\n"
          + "childpid: .quad 0\n"
          + "mypid: .quad 0\n"
          + "  .text\n"
          + "  .globl _start\n"
          + "_start:\n"
          + "  mov $57, %eax\n"
          + "  syscall\n"
          + "  test %rax, %rax\n"
          + "  jz child\n"
          + "  mov %rax, childpid(%rip)\n"
          + "  mov $39, %eax\n"
          + "  syscall\n"
          + "  mov %rax, mypid(%rip)\n"
          + "  xor %edi, %edi\n"
          + "  mov $60, %eax\n"
          + "  syscall\n"
          + "child:\n"
          + "  movq $42, value(%rip)\n"
          + "  mov $39, %eax\n"
          + "  syscall\n"
          + "  mov %rax, mypid(%rip)\n"
          + "  mov $0x107, %edi\n"
          + "  mov $60, %eax\n"
          + "  syscall\n";

  @Test
  void forkGivesTheChildACopyOfTheAddressSpaceAndReturnsZeroInIt() {
    Machine m = machine(2);
    Process parent = m.spawnProcess("parent", asm(FORK), ProcessOptions.defaults());
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(1)));
    int childPid = (int) read(parent, "childpid", 8);
    Process child = m.process(childPid);
    assertNotEquals(parent.pid(), childPid);
    assertEquals(0, read(parent, "value", 8));
    assertEquals(42, read(child, "value", 8));
    assertEquals(parent.pid(), read(parent, "mypid", 8));
    assertEquals(childPid, read(child, "mypid", 8));
    assertEquals(7, child.threads().get(0).exitCode());
    assertEquals("exit(7) of its last thread", child.exitReason());
    assertEquals(0, parent.threads().get(0).exitCode());
  }

  @Test
  void execveReplacesTheImageAndEndsTheOtherThreads() {
    String first = "  .data\n"
        + "path: .asciz \"/bin/second\"\n"
        + "bad: .asciz \"/bin/none\"\n"
        + "miss: .quad 0\n"
        + "  .text\n"
        + "  .globl _start\n"
        + "_start:\n"
        + "  lea bad(%rip), %rdi\n"
        + "  xor %esi, %esi\n"
        + "  xor %edx, %edx\n"
        + "  mov $59, %eax\n"
        + "  syscall\n"
        + "  mov %rax, miss(%rip)\n"
        + "  mov $200000, %ecx\n"
        + "1: dec %ecx\n"
        + "  jnz 1b\n"
        + "  lea path(%rip), %rdi\n"
        + "  mov $59, %eax\n"
        + "  syscall\n"
        + "  ud2\n"
        + "  .globl spin\n"
        + "spin:\n"
        + "  jmp spin\n";
    String second = "  .data\n"
        + "marker: .quad 0\n"
        + "  .text\n"
        + "  .globl main\n"
        + "main:\n"
        + "  movq $77, marker(%rip)\n"
        + "  mov $5, %edi\n"
        + "  mov $231, %eax\n"
        + "  syscall\n";
    Machine m = machine(2);
    AssembledProgram firstProg = asm(first);
    m.registerImage("/bin/second", asm(second), "main");
    Process p = m.spawnProcess("first", firstProg, ProcessOptions.defaults());
    Task spinner = m.spawnThread(p, "spin", new long[0], null, "spinner");
    m.runFor(Ticks.fromMicros(20));
    assertEquals(-2, read(p, firstProg.address("miss"), 8), "ENOENT before the exec");
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(1)));
    assertEquals(77, read(p, "marker", 8));
    assertEquals("exit_group(5)", p.exitReason());
    assertTrue(spinner.hasExited());
    assertEquals(9, spinner.exitCode());
    assertTrue(m.findings().isEmpty(), m.findings().toString());
  }

  @Test
  void mmapGivesUsableMemoryThatMunmapTakesAway() {
    String src = "  .data\n"
        + "addr: .quad 0\n"
        + "sum: .quad 0\n"
        + "  .text\n"
        + "  .globl _start\n"
        + "_start:\n"
        + "  xor %edi, %edi\n"
        + "  mov $8192, %esi\n"
        + "  mov $3, %edx\n"
        + "  mov $0x22, %r10d\n"
        + "  mov $-1, %r8\n"
        + "  xor %r9d, %r9d\n"
        + "  mov $9, %eax\n"
        + "  syscall\n"
        + "  mov %rax, addr(%rip)\n"
        + "  movq $5, (%rax)\n"
        + "  movq $6, 4096(%rax)\n"
        + "  mov (%rax), %rcx\n"
        + "  add 4096(%rax), %rcx\n"
        + "  mov %rcx, sum(%rip)\n"
        + "  mov %rax, %rdi\n"
        + "  mov $8192, %esi\n"
        + "  mov $11, %eax\n"
        + "  syscall\n"
        + "  mov addr(%rip), %rax\n"
        + "  mov (%rax), %rcx\n"
        + "  ud2\n";
    Machine m = machine(1);
    Process p = m.spawnProcess("mapper", asm(src), ProcessOptions.defaults());
    m.runFor(Ticks.fromMillis(1));
    long addr = read(p, "addr", 8);
    assertTrue(addr > 0 && addr < UserLayout.MMAP_BASE && addr % 4096 == 0, Long.toHexString(addr));
    assertEquals(11, read(p, "sum", 8));
    assertEquals(1, m.findings().size());
    assertTrue(m.findings().get(0).message().contains("fault address 0x" + Long.toHexString(addr)),
        m.findings().get(0).message());
  }
}
