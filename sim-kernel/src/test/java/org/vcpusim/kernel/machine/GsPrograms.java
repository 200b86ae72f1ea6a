package org.vcpusim.kernel.machine;

/**
 * Assembly pieces of the GS-mode tests: the ABI constants of docs/abi.md as assembler symbols and
 * the calls a libc would make.
 *
 * <p><b>Caveats:</b> test scaffolding. Each call snippet clobbers rax, rcx, rdx, rsi, rdi, r8, r10,
 * r11.
 */
final class GsPrograms {
  private GsPrograms() {}

  /** The prctl options, index modes, arch_prctl codes and struct rseq field offsets. */
  static String prologue() {
    return "  .set PT_SET_GS_MODE, 0x47530001\n"
        + "  .set PT_GET_GS_MODE, 0x47530002\n"
        + "  .set ARCH_SET_GS, 0x1001\n"
        + "  .set ARCH_SET_FS, 0x1002\n"
        + "  .set ARCH_GET_FS, 0x1003\n"
        + "  .set ARCH_GET_GS, 0x1004\n"
        + "  .set RSEQ_MM_CID, 24\n";
  }

  /**
   * A whole single-threaded program: {@link #prologue}, the {@code .data} lines {@code data},
   * then {@code _start:} running {@code body} and {@code exit_group(0)}.
   */
  static String program(String data, String body) {
    return prologue()
        + "  .data\n"
        + data
        + "  .text\n"
        + "  .globl _start\n"
        + "_start:\n"
        + body
        + "  xor %edi, %edi\n"
        + "  mov $231, %eax\n"
        + "  syscall\n";
  }

  /** {@code prctl(option, &symbol, 24, 0, 0)}; the result in rax. */
  static String prctl(String option, String symbol) {
    return "  mov $" + option + ", %edi\n"
        + "  lea " + symbol + "(%rip), %rsi\n"
        + "  mov $24, %edx\n"
        + "  xor %r10d, %r10d\n"
        + "  xor %r8d, %r8d\n"
        + "  mov $157, %eax\n"
        + "  syscall\n";
  }

  /** {@code arch_prctl(code, value)} with {@code value} an assembler operand for rsi. */
  static String archPrctl(String code, String valueOperand) {
    return "  mov $" + code + ", %edi\n"
        + "  mov " + valueOperand + ", %rsi\n"
        + "  mov $158, %eax\n"
        + "  syscall\n";
  }

  /** Loads the calling thread's mm_cid from its rseq area (glibc registration) into edx. */
  static String mmCidToEdx() {
    return "  mov __rseq_offset(%rip), %rcx\n"
        + "  movl %fs:RSEQ_MM_CID(%rcx), %edx\n";
  }
}
