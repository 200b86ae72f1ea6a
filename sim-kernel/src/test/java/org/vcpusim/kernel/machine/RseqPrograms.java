package org.vcpusim.kernel.machine;

/**
 * librseq-style assembly used by the end-to-end rseq tests: the glibc conventions of {@link
 * UserLayout} ({@code __rseq_offset} read from the libc data page, the area at {@code %fs:}
 * that offset), a per-CPU counter increment in a critical section whose descriptor lives in
 * {@code __rseq_cs}, and an abort handler preceded by the x86 signature ({@code ud1
 * 0x53053053(%rip), %edi}, bytes {@code 0f b9 3d} + the signature, reference kernel.md §2.3) that
 * retries.
 *
 * <p>Assemble with {@link UserLayout#programLayout()}.
 *
 * <p><b>Caveats:</b> test scaffolding.
 */
public final class RseqPrograms {
  private RseqPrograms() {}

  /** The field offsets of struct rseq every program here uses ({@code __rseq_offset} is extern). */
  public static String prologue() {
    return "  .set RSEQ_CPU_ID, 4\n"
        + "  .set RSEQ_CS, 8\n"
        + "  .set RSEQ_MM_CID, 24\n";
  }

  /**
   * One increment of {@code counters[cpu_id]} in a critical section, retried on abort; {@code
   * %r12} must hold {@code __rseq_offset}. Labels: {@code <p>_arm} (storing rseq_cs), {@code
   * <p>_start}, {@code <p>_commit} (the committing store), {@code <p>_post}, {@code <p>_abort}.
   * Clobbers rax, rcx, rdx.
   */
  public static String increment(String p) {
    return "  .pushsection __rseq_cs, \"aw\"\n"
        + "  .balign 32\n"
        + p + "_cs:\n"
        + "  .long 0, 0\n"
        + "  .quad " + p + "_start, " + p + "_post - " + p + "_start, " + p + "_abort\n"
        + "  .popsection\n"
        + p + "_retry:\n"
        + "  lea " + p + "_cs(%rip), %rax\n"
        + p + "_arm:\n"
        + "  mov %rax, %fs:RSEQ_CS(%r12)\n"
        + p + "_start:\n"
        + "  mov %fs:RSEQ_CPU_ID(%r12), %ecx\n"
        + "  lea counters(%rip), %rdx\n"
        + "  mov (%rdx,%rcx,8), %rax\n"
        + "  add $1, %rax\n"
        + p + "_commit:\n"
        + "  mov %rax, (%rdx,%rcx,8)\n"
        + p + "_post:\n";
  }

  /** The abort handler of {@link #increment}, out of line: signature, count, retry. */
  public static String abortHandler(String p) {
    return "  .byte 0x0f, 0xb9, 0x3d\n"
        + "  .long 0x53053053\n"
        + p + "_abort:\n"
        + "  lock incq aborts_seen(%rip)\n"
        + "  jmp " + p + "_retry\n";
  }
}
