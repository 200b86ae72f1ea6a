package org.vcpusim.kernel.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vcpusim.kernel.machine.TestMachines.asm;
import static org.vcpusim.kernel.machine.TestMachines.machine;
import static org.vcpusim.kernel.machine.TestMachines.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.kernel.gsmode.GsModeAbi;
import org.vcpusim.kernel.gsmode.GsModeArgs;
import org.vcpusim.kernel.gsmode.GsModeConfig;
import org.vcpusim.kernel.gsmode.GsModeTunable;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.task.Process;

/**
 * {@code prctl(PT_SET_GS_MODE / PT_GET_GS_MODE)} from a simulated program on a 4-CPU machine: one
 * row per argument error (args → errno) and the successes at each limit; after every call the
 * program reads the mode back, which must be the row's arguments after a successful SET and off
 * otherwise. Then the GET round trip, fork (the child keeps the mode) and exec (the mode is
 * cleared).
 */
class GsModePrctlTest {
  static final int CPUS = 4;
  static final long EINVAL = Errno.fail(Errno.EINVAL);
  static final long EFAULT = Errno.fail(Errno.EFAULT);
  static final long EPERM = Errno.fail(Errno.EPERM);
  static final long MIN = GsModeConfig.DEFAULT_MMAP_MIN_ADDR;
  static final long TASK_SIZE_MAX = GsModeAbi.TASK_SIZE_MAX;

  /** One call: the prctl arguments, the struct at {@code ptr}, a machine/process tweak. */
  record Row(String label, long expected, long option, String ptr, long size, long a4, long a5,
      long mode, long flags, long stride, long origin, String tweak) {
    static Row set(String label, long expected) {
      return new Row(label, expected, GsModeAbi.PT_SET_GS_MODE, "args", 24, 0, 0,
          GsModeAbi.GS_INDEX_MODE_MM_VCPU, 0, 4096, MIN, "");
    }

    static Row get(String label, long expected) {
      return set(label, expected).option(GsModeAbi.PT_GET_GS_MODE);
    }

    Row option(long v) {
      return new Row(label, expected, v, ptr, size, a4, a5, mode, flags, stride, origin, tweak);
    }

    Row ptr(String v) {
      return new Row(label, expected, option, v, size, a4, a5, mode, flags, stride, origin, tweak);
    }

    Row size(long v) {
      return new Row(label, expected, option, ptr, v, a4, a5, mode, flags, stride, origin, tweak);
    }

    Row a4(long v) {
      return new Row(label, expected, option, ptr, size, v, a5, mode, flags, stride, origin, tweak);
    }

    Row a5(long v) {
      return new Row(label, expected, option, ptr, size, a4, v, mode, flags, stride, origin, tweak);
    }

    Row mode(long v) {
      return new Row(label, expected, option, ptr, size, a4, a5, v, flags, stride, origin, tweak);
    }

    Row flags(long v) {
      return new Row(label, expected, option, ptr, size, a4, a5, mode, v, stride, origin, tweak);
    }

    Row stride(long v) {
      return new Row(label, expected, option, ptr, size, a4, a5, mode, flags, v, origin, tweak);
    }

    Row origin(long v) {
      return new Row(label, expected, option, ptr, size, a4, a5, mode, flags, stride, v, tweak);
    }

    Row tweak(String v) {
      return new Row(label, expected, option, ptr, size, a4, a5, mode, flags, stride, origin, v);
    }

    @Override
    public String toString() {
      return label;
    }
  }

  static List<Row> rows() {
    List<Row> r = new ArrayList<>();
    long lastOrigin = TASK_SIZE_MAX - 4096L * CPUS;
    r.add(Row.set("valid: stride 4096 at mmap_min_addr", 0));
    r.add(Row.set("valid: NONE turns the mode off", 0).mode(0).stride(0).origin(0));
    r.add(Row.set("valid: last region ends at TASK_SIZE_MAX", 0).origin(lastOrigin));
    r.add(Row.set("valid: largest stride (2^44 x 4 CPUs)", 0).stride(1L << 44));
    r.add(Row.set("valid: origin 0 with the mmap_min_addr check off", 0).origin(0)
        .tweak("nocheck"));
    r.add(Row.set("unknown option", EINVAL).option(0x47530003L));
    r.add(Row.set("mainline option PR_GET_DUMPABLE", EINVAL).option(3));
    r.add(Row.set("size 0", EINVAL).size(0));
    r.add(Row.set("size 16 (the 2022 struct)", EINVAL).size(16));
    r.add(Row.set("size 32", EINVAL).size(32));
    r.add(Row.set("arg4 non-zero", EINVAL).a4(1));
    r.add(Row.set("arg5 non-zero", EINVAL).a5(1));
    r.add(Row.set("args NULL", EFAULT).ptr("0"));
    r.add(Row.set("args unmapped", EFAULT).ptr("0x10000000"));
    r.add(Row.set("args beyond user space", EFAULT).ptr("0xffff800000000000"));
    r.add(Row.set("args straddle the top of user space", EFAULT).ptr("0x7ffffffffff0"));
    r.add(Row.set("flags 1", EINVAL).flags(1));
    r.add(Row.set("flags 0x80000000", EINVAL).flags(0x8000_0000L));
    r.add(Row.set("index_mode 2", EINVAL).mode(2));
    r.add(Row.set("index_mode 0xffffffff", EINVAL).mode(0xffff_ffffL));
    r.add(Row.set("NONE with a stride", EINVAL).mode(0).origin(0));
    r.add(Row.set("NONE with an origin", EINVAL).mode(0).stride(0));
    r.add(Row.set("stride 0", EINVAL).stride(0));
    r.add(Row.set("stride 2048 (below a page)", EINVAL).stride(2048));
    r.add(Row.set("stride 4097 (not a power of two)", EINVAL).stride(4097));
    r.add(Row.set("stride 12288 (not a power of two)", EINVAL).stride(12288));
    r.add(Row.set("stride 2^45 x 4 CPUs past TASK_SIZE_MAX", EINVAL).stride(1L << 45));
    r.add(Row.set("stride 2^62: stride x nr_cpu_ids overflows", EINVAL).stride(1L << 62));
    r.add(Row.set("stride 2^63", EINVAL).stride(Long.MIN_VALUE));
    r.add(Row.set("origin 0", EINVAL).origin(0));
    r.add(Row.set("origin mmap_min_addr - 1", EINVAL).origin(MIN - 1));
    r.add(Row.set("last region one page past TASK_SIZE_MAX", EINVAL).origin(lastOrigin + 4096));
    r.add(Row.set("origin near 2^64: the end wraps", EINVAL).origin(-4096));
    r.add(Row.set("libc tunable deny", EPERM).tweak("deny"));
    r.add(Row.set("libc tunable deny refuses before the kernel's checks", EPERM).size(0)
        .tweak("deny"));
    r.add(Row.get("GET", 0));
    r.add(Row.get("GET under the deny tunable", 0).tweak("deny"));
    r.add(Row.get("GET size 16", EINVAL).size(16));
    r.add(Row.get("GET arg4 non-zero", EINVAL).a4(1));
    r.add(Row.get("GET arg5 non-zero", EINVAL).a5(1));
    r.add(Row.get("GET NULL", EFAULT).ptr("0"));
    r.add(Row.get("GET into read-only text", EFAULT).ptr("_start"));
    return r;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void eachArgumentErrorHasItsErrno(Row row) {
    String src = GsPrograms.prologue()
        + "  .data\n"
        + "  .balign 8\n"
        + "params: .quad " + row.option() + ", " + row.ptr() + ", " + row.size() + ", "
        + row.a4() + ", " + row.a5() + "\n"
        + "args: .long " + row.mode() + ", " + row.flags() + "\n"
        + "  .quad " + row.stride() + ", " + row.origin() + "\n"
        + "result: .quad 0\n"
        + "got: .quad -1, -1, -1\n"
        + "  .text\n"
        + "  .globl _start\n"
        + "_start:\n"
        + "  lea params(%rip), %rbx\n"
        + "  mov (%rbx), %rdi\n"
        + "  mov 8(%rbx), %rsi\n"
        + "  mov 16(%rbx), %rdx\n"
        + "  mov 24(%rbx), %r10\n"
        + "  mov 32(%rbx), %r8\n"
        + "  mov $157, %eax\n"
        + "  syscall\n"
        + "  mov %rax, result(%rip)\n"
        + GsPrograms.prctl("PT_GET_GS_MODE", "got")
        + "  xor %edi, %edi\n"
        + "  mov $231, %eax\n"
        + "  syscall\n";
    Machine m = machine(CPUS, b -> {
      if (row.tweak().equals("nocheck")) {
        b.gsMode(GsModeConfig.defaults().withOriginCheck(false));
      }
    });
    ProcessOptions options = ProcessOptions.defaults();
    if (row.tweak().equals("deny")) {
      options = options.withGsModeTunable(GsModeTunable.DENY);
    }
    AssembledProgram prog = asm(src);
    Process p = m.spawnProcess("prctl", prog, options);
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(1)));
    assertEquals(List.of(), m.findings());
    assertEquals(row.expected(), read(p, "result", 8), row.label());

    boolean setOk = row.option() == GsModeAbi.PT_SET_GS_MODE && row.expected() == 0;
    GsModeArgs want = setOk
        ? new GsModeArgs(row.mode(), row.flags(), row.stride(), row.origin())
        : GsModeArgs.OFF;
    long got = prog.address("got");
    GsModeArgs back = new GsModeArgs(read(p, got, 4), read(p, got + 4, 4), read(p, got + 8, 8),
        read(p, got + 16, 8));
    assertEquals(want, back, "the mode after the call");
    assertEquals(row.tweak().equals("deny") && row.option() == GsModeAbi.PT_SET_GS_MODE ? 1 : 0,
        m.stats().counter("gs_mode.libc_refused").value());
    if (row.option() == GsModeAbi.PT_GET_GS_MODE && row.expected() == 0) {
      long args = prog.address("args");
      assertEquals(0, read(p, args, 8), "GET of the mode off wrote zeros");
      assertEquals(0, read(p, args + 8, 8));
      assertEquals(0, read(p, args + 16, 8));
    }
  }

  static final String ROUND_TRIP = GsPrograms.prologue()
      + "  .data\n"
      + "  .balign 8\n"
      + "set: .long 1, 0\n"
      + "  .quad 0x10000, 0x7f0000000000\n"
      + "off: .long 0, 0\n"
      + "  .quad 0, 0\n"
      + "before: .quad -1, -1, -1\n"
      + "during: .quad -1, -1, -1\n"
      + "after: .quad -1, -1, -1\n"
      + "rets: .quad -1, -1, -1, -1, -1\n"
      + "  .text\n"
      + "  .globl _start\n"
      + "_start:\n"
      + GsPrograms.prctl("PT_GET_GS_MODE", "before")
      + "  mov %rax, rets(%rip)\n"
      + GsPrograms.prctl("PT_SET_GS_MODE", "set")
      + "  mov %rax, rets+8(%rip)\n"
      + GsPrograms.prctl("PT_GET_GS_MODE", "during")
      + "  mov %rax, rets+16(%rip)\n"
      + GsPrograms.prctl("PT_SET_GS_MODE", "off")
      + "  mov %rax, rets+24(%rip)\n"
      + GsPrograms.prctl("PT_GET_GS_MODE", "after")
      + "  mov %rax, rets+32(%rip)\n"
      + "  xor %edi, %edi\n"
      + "  mov $231, %eax\n"
      + "  syscall\n";

  @Test
  void getReturnsWhatSetStoredAndZerosWhenOff() {
    Machine m = machine(CPUS);
    AssembledProgram prog = asm(ROUND_TRIP);
    Process p = m.spawnProcess("rt", prog, ProcessOptions.defaults());
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(1)));
    for (int i = 0; i < 5; i++) {
      assertEquals(0, read(p, prog.address("rets") + 8L * i, 8), "call " + i);
    }
    for (int i = 0; i < 24; i += 8) {
      assertEquals(read(p, prog.address("set") + i, 8), read(p, prog.address("during") + i, 8));
      assertEquals(0, read(p, prog.address("before") + i, 8));
      assertEquals(0, read(p, prog.address("after") + i, 8));
    }
    assertEquals(1, m.stats().counter("gs_mode.enabled").value());
    assertEquals(1, m.stats().counter("gs_mode.disabled").value());
  }

  /**
   * The parent sets the mode and forks; the child reads the mode back and its GS base and cid; the
   * parent execs an image that does the same. The child's base must be its own cid's.
   */
  static final String FORK_EXEC = GsPrograms.prologue()
      + "  .data\n"
      + "  .balign 8\n"
      + "set: .long 1, 0\n"
      + "  .quad 0x10000, 0x20000000\n"
      + "path: .asciz \"/bin/after\"\n"
      + "  .balign 8\n"
      + "got: .quad -1, -1, -1\n"
      + "gsbase: .quad -1\n"
      + "cid: .quad -1\n"
      + "  .text\n"
      + "  .globl _start\n"
      + "_start:\n"
      + GsPrograms.prctl("PT_SET_GS_MODE", "set")
      + "  mov $57, %eax\n"
      + "  syscall\n"
      + "  test %rax, %rax\n"
      + "  jz child\n"
      + "  lea path(%rip), %rdi\n"
      + "  xor %esi, %esi\n"
      + "  xor %edx, %edx\n"
      + "  mov $59, %eax\n"
      + "  syscall\n"
      + "  ud2\n"
      + "child:\n"
      + GsPrograms.prctl("PT_GET_GS_MODE", "got")
      + "  rdgsbase %rax\n"
      + "  mov %rax, gsbase(%rip)\n"
      + GsPrograms.mmCidToEdx()
      + "  mov %rdx, cid(%rip)\n"
      + "  xor %edi, %edi\n"
      + "  mov $60, %eax\n"
      + "  syscall\n";

  static final String AFTER_EXEC = GsPrograms.prologue()
      + "  .data\n"
      + "  .balign 8\n"
      + "got: .quad -1, -1, -1\n"
      + "gsbase: .quad -1\n"
      + "  .text\n"
      + "  .globl main\n"
      + "main:\n"
      + GsPrograms.prctl("PT_GET_GS_MODE", "got")
      + "  rdgsbase %rax\n"
      + "  mov %rax, gsbase(%rip)\n"
      + "  xor %edi, %edi\n"
      + "  mov $231, %eax\n"
      + "  syscall\n";

  @Test
  void forkKeepsTheModeAndExecClearsIt() {
    Machine m = machine(CPUS);
    AssembledProgram after = asm(AFTER_EXEC);
    m.registerImage("/bin/after", after, "main");
    AssembledProgram prog = asm(FORK_EXEC);
    Process parent = m.spawnProcess("parent", prog, ProcessOptions.defaults());
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(2)));
    assertEquals(List.of(), m.findings());
    Process child = null;
    for (Process q : m.processes()) {
      if (q != parent) {
        child = q;
      }
    }
    long got = prog.address("got");
    assertEquals(1, read(child, got, 4), "the child's mm copied the mode");
    assertEquals(0x10000, read(child, got + 8, 8));
    assertEquals(0x20000000, read(child, got + 16, 8));
    long cid = read(child, "cid", 8);
    assertEquals(0x20000000L + 0x10000L * cid, read(child, "gsbase", 8),
        String.format(Locale.ROOT, "the child's GS base is its own cid's (cid %d)", cid));
    long afterGot = after.address("got");
    assertEquals(0, read(parent, afterGot, 8), "exec cleared the mode");
    assertEquals(0, read(parent, afterGot + 8, 8));
    assertEquals(0, read(parent, afterGot + 16, 8));
    assertEquals(0, read(parent, "gsbase", 8), "the new image starts with GS base 0");
  }
}
