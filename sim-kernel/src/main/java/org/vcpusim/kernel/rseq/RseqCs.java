package org.vcpusim.kernel.rseq;

import java.util.Locale;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.syscall.UserAccess;

/**
 * A {@code struct rseq_cs} loaded from user memory and validated, the kernel's {@code
 * rseq_get_rseq_cs()} (kernel/rseq.c through 6.18): read the {@code rseq_cs} pointer from the
 * registered area; NULL means "no critical section"; otherwise the pointer must be below {@code
 * TASK_SIZE}, the 32-byte descriptor readable, {@code start_ip}, {@code start_ip +
 * post_commit_offset} and {@code abort_ip} below {@code TASK_SIZE}, {@code version} 0, the end
 * must not wrap, {@code abort_ip} must lie outside {@code [start_ip, start_ip +
 * post_commit_offset)}, and the u32 at {@code abort_ip - 4} must equal the registered signature.
 * Every comparison is unsigned, as the kernel's {@code u64} arithmetic is.
 *
 * <p>The descriptor's {@code flags} are not checked here: the kernel checks them (and the area's
 * {@code flags}) only when the IP is inside the critical section ({@code rseq_need_restart()}).
 *
 * <p><b>Caveats:</b> a reusable scratch object; not thread-safe.
 */
final class RseqCs {
  long pointer;
  int version;
  int flags;
  long startIp;
  long postCommitOffset;
  long abortIp;

  private final UserAccess user = new UserAccess();

  /**
   * Loads and validates the descriptor the area at {@code area} points to.
   *
   * @return null when valid (or when the pointer is NULL, {@link #pointer} then 0 and the rest
   *     cleared); otherwise why it is invalid, for the SIGSEGV reason
   */
  String load(AddressSpace memory, long area, int signature) {
    pointer = 0;
    version = 0;
    flags = 0;
    startIp = 0;
    postCommitOffset = 0;
    abortIp = 0;
    if (!user.get(memory, area + RseqAbi.RSEQ_CS_OFFSET, 8)) {
      return "cannot read rseq->rseq_cs: " + user.fault();
    }
    long ptr = user.value();
    if (ptr == 0) {
      return null;
    }
    pointer = ptr;
    if (Long.compareUnsigned(ptr, RseqAbi.TASK_SIZE) >= 0) {
      return String.format(Locale.ROOT, "rseq_cs pointer %#x is not below TASK_SIZE", ptr);
    }
    if (!user.get(memory, ptr + RseqAbi.CS_VERSION_OFFSET, 4)) {
      return descriptorFault();
    }
    version = (int) user.value();
    if (!user.get(memory, ptr + RseqAbi.CS_FLAGS_OFFSET, 4)) {
      return descriptorFault();
    }
    flags = (int) user.value();
    if (!user.get(memory, ptr + RseqAbi.CS_START_IP_OFFSET, 8)) {
      return descriptorFault();
    }
    startIp = user.value();
    if (!user.get(memory, ptr + RseqAbi.CS_POST_COMMIT_OFFSET_OFFSET, 8)) {
      return descriptorFault();
    }
    postCommitOffset = user.value();
    if (!user.get(memory, ptr + RseqAbi.CS_ABORT_IP_OFFSET, 8)) {
      return descriptorFault();
    }
    abortIp = user.value();

    long end = startIp + postCommitOffset;
    if (Long.compareUnsigned(startIp, RseqAbi.TASK_SIZE) >= 0
        || Long.compareUnsigned(end, RseqAbi.TASK_SIZE) >= 0
        || Long.compareUnsigned(abortIp, RseqAbi.TASK_SIZE) >= 0) {
      return String.format(Locale.ROOT,
          "rseq_cs %#x: start_ip %#x, start_ip + post_commit_offset %#x or abort_ip %#x is not "
              + "below TASK_SIZE", ptr, startIp, end, abortIp);
    }
    if (version != 0) {
      return String.format(Locale.ROOT, "rseq_cs %#x: version %d is not 0", ptr,
          Integer.toUnsignedLong(version));
    }
    if (Long.compareUnsigned(end, startIp) < 0) {
      return String.format(Locale.ROOT,
          "rseq_cs %#x: start_ip %#x + post_commit_offset %#x overflows", ptr, startIp,
          postCommitOffset);
    }
    if (contains(abortIp)) {
      return String.format(Locale.ROOT,
          "rseq_cs %#x: abort_ip %#x is inside the critical section [%#x, %#x)", ptr, abortIp,
          startIp, end);
    }
    long sigAddress = abortIp - 4;
    if (!user.get(memory, sigAddress, 4)) {
      return String.format(Locale.ROOT, "rseq_cs %#x: cannot read the signature at abort_ip - 4: %s",
          ptr, user.fault());
    }
    int found = (int) user.value();
    if (found != signature) {
      return String.format(Locale.ROOT,
          "rseq_cs %#x: signature %#010x at abort_ip - 4 (%#x) differs from the registered %#010x",
          ptr, found, sigAddress, signature);
    }
    return null;
  }

  /** {@code in_rseq_cs()}: {@code ip - start_ip < post_commit_offset}, unsigned. */
  boolean contains(long ip) {
    return Long.compareUnsigned(ip - startIp, postCommitOffset) < 0;
  }

  private String descriptorFault() {
    return String.format(Locale.ROOT, "cannot read struct rseq_cs at %#x: %s", pointer,
        user.fault());
  }
}
