package org.vcpusim.kernel.rseq;

import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.syscall.SyscallContext;
import org.vcpusim.kernel.syscall.SyscallHandler;
import org.vcpusim.kernel.syscall.UserAccess;
import org.vcpusim.kernel.task.Task;

/**
 * {@code rseq(struct rseq *rseq, u32 rseq_len, int flags, u32 sig)}, x86-64 number 334: {@code
 * SYSCALL_DEFINE4(rseq, ...)} in kernel/rseq.c (torvalds/linux@1260ed77, the 6.18 code; reference
 * kernel.md §2.4), with its checks in the kernel's order and its errors:
 *
 * <ol>
 *   <li>{@code flags & RSEQ_FLAG_UNREGISTER}: any other flag bit → EINVAL; no registration or a
 *       different pointer → EINVAL; {@code rseq_len} ≠ the registered length → EINVAL; {@code sig}
 *       ≠ the registered signature → EPERM; then {@code cpu_id_start} = 0, {@code cpu_id} = -1
 *       (UNINITIALIZED), {@code node_id} = 0, {@code mm_cid} = 0 are written (a fault → EFAULT,
 *       registration kept) and the registration dropped → 0.
 *   <li>any other non-zero {@code flags} → EINVAL.
 *   <li>already registered: a different pointer or length → EINVAL; same area, different {@code
 *       sig} → EPERM; same registration → EBUSY.
 *   <li>{@code rseq_len} &lt; 32 ({@code ORIG_RSEQ_SIZE}); or {@code rseq_len} == 32 and the
 *       pointer not 32-byte aligned; or {@code rseq_len} ≠ 32 and the pointer not aligned to
 *       {@code __alignof__(struct rseq)} (32) or {@code rseq_len} below the advertised feature size
 *       ({@link RseqConfig#featureSize()}) → EINVAL.
 *   <li>{@code !access_ok(rseq, rseq_len)} (beyond the top of user space) → EFAULT.
 *   <li>a non-NULL stale {@code rseq_cs} is cleared (old libcs reuse areas without clearing);
 *       reading or clearing it faults → EFAULT.
 *   <li>the registration is recorded and {@code TIF_NOTIFY_RESUME} set, so the ids are written on
 *       the way out → 0.
 * </ol>
 *
 * <p>Arguments are truncated to their declared C types as {@code SYSCALL_DEFINE} does: {@code
 * rseq_len} and {@code sig} to u32, {@code flags} to int.
 *
 * <p><b>Caveats:</b> as in the kernel, the area is only probed at its {@code rseq_cs} field: a
 * mapped but read-only area with a NULL {@code rseq_cs} registers successfully, and the id write
 * on the way out then kills the process with SIGSEGV.
 */
public final class RseqSyscall implements SyscallHandler {
  /** Mask of a {@code u32} argument (SYSCALL_DEFINE casts the register to the declared type). */
  private static final long U32 = 0xFFFF_FFFFL;

  private final Rseq rseq;
  private final UserAccess user = new UserAccess();

  RseqSyscall(Rseq rseq) {
    this.rseq = rseq;
  }

  @Override
  public long call(SyscallContext call) {
    Task task = call.task();
    int tid = task.tid();
    long pointer = call.arg(0);
    int len = (int) (call.arg(1) & U32);
    int flags = (int) call.arg(2);
    int sig = (int) (call.arg(3) & U32);
    AddressSpace memory = call.memory();

    if ((flags & RseqAbi.RSEQ_FLAG_UNREGISTER) != 0) {
      if ((flags & ~RseqAbi.RSEQ_FLAG_UNREGISTER) != 0) {
        return Errno.fail(Errno.EINVAL);
      }
      if (!rseq.isRegistered(tid) || rseq.area(tid) != pointer) {
        return Errno.fail(Errno.EINVAL);
      }
      if (len != rseq.length(tid)) {
        return Errno.fail(Errno.EINVAL);
      }
      if (sig != rseq.signature(tid)) {
        return Errno.fail(Errno.EPERM);
      }
      if (!resetIds(memory, pointer)) {
        return Errno.fail(Errno.EFAULT);
      }
      rseq.unregister(task);
      return 0;
    }

    if (flags != 0) {
      return Errno.fail(Errno.EINVAL);
    }

    if (rseq.isRegistered(tid)) {
      if (rseq.area(tid) != pointer || len != rseq.length(tid)) {
        return Errno.fail(Errno.EINVAL);
      }
      if (sig != rseq.signature(tid)) {
        return Errno.fail(Errno.EPERM);
      }
      return Errno.fail(Errno.EBUSY);
    }

    long unsignedLen = Integer.toUnsignedLong(len);
    if (unsignedLen < RseqAbi.ORIG_RSEQ_SIZE
        || (unsignedLen == RseqAbi.ORIG_RSEQ_SIZE && !aligned(pointer, RseqAbi.ORIG_RSEQ_SIZE))
        || (unsignedLen != RseqAbi.ORIG_RSEQ_SIZE
            && (!aligned(pointer, RseqAbi.RSEQ_ALIGN)
                || unsignedLen < rseq.config().featureSize()))) {
      return Errno.fail(Errno.EINVAL);
    }
    if (!UserAccess.accessOk(pointer, unsignedLen)) {
      return Errno.fail(Errno.EFAULT);
    }
    if (!user.get(memory, pointer + RseqAbi.RSEQ_CS_OFFSET, 8)) {
      return Errno.fail(Errno.EFAULT);
    }
    if (user.value() != 0 && !user.put(memory, pointer + RseqAbi.RSEQ_CS_OFFSET, 8, 0)) {
      return Errno.fail(Errno.EFAULT);
    }
    rseq.register(task, pointer, len, sig);
    return 0;
  }

  /** {@code rseq_reset_rseq_cpu_node_id()}: the four id fields back to their initial values. */
  private boolean resetIds(AddressSpace memory, long area) {
    return user.put(memory, area + RseqAbi.CPU_ID_START_OFFSET, 4, 0)
        && user.put(memory, area + RseqAbi.CPU_ID_OFFSET, 4, RseqAbi.RSEQ_CPU_ID_UNINITIALIZED)
        && user.put(memory, area + RseqAbi.NODE_ID_OFFSET, 4, 0)
        && user.put(memory, area + RseqAbi.MM_CID_OFFSET, 4, 0);
  }

  private static boolean aligned(long address, int alignment) {
    return (address & (alignment - 1)) == 0;
  }
}
