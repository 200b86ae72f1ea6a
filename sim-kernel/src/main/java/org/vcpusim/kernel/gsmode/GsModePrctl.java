package org.vcpusim.kernel.gsmode;

import java.util.Objects;
import java.util.function.IntFunction;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.syscall.SyscallContext;
import org.vcpusim.kernel.syscall.SyscallHandler;
import org.vcpusim.kernel.syscall.UserAccess;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * {@code prctl(option, arg2, arg3, arg4, arg5)} (157) with the GS-mode options; every other option
 * is {@code -EINVAL}, as an unknown option is in {@code sys_prctl()} (kernel/sys.c). The checks, in
 * the order they are made (docs/abi.md has the table):
 *
 * <p>{@code PT_SET_GS_MODE(&args, size, 0, 0)}:
 *
 * <ol>
 *   <li>the process's {@link GsModeTunable} is {@link GsModeTunable#DENY}: {@code -EPERM} from the
 *       libc wrapper, before the kernel looks at anything ({@code gs_mode.libc_refused});
 *   <li>{@code size != sizeof(struct gs_mode_args)} (24), or {@code arg4} or {@code arg5} non-zero:
 *       {@code -EINVAL};
 *   <li>the struct cannot be read ({@code copy_from_user()}): {@code -EFAULT};
 *   <li>{@code flags != 0}, or an {@code index_mode} that is neither NONE nor MM_VCPU:
 *       {@code -EINVAL};
 *   <li>NONE with a non-zero {@code stride} or {@code origin}: {@code -EINVAL} (reserved fields
 *       must be zero, so that they can be given a meaning later); otherwise the mode goes off;
 *   <li>MM_VCPU: a {@code stride} that is not a power of two or is below {@link
 *       GsModeAbi#MIN_STRIDE}, an {@code origin} below {@code mmap_min_addr} (unless {@link
 *       GsModeConfig#checkOriginAgainstMmapMinAddr} is off), or {@code origin + stride ×
 *       nr_cpu_ids} beyond {@link GsModeAbi#TASK_SIZE_MAX} (computed without overflow):
 *       {@code -EINVAL};
 *   <li>a live thread of the mm owns its GS base through {@code arch_prctl(ARCH_SET_GS)} with a
 *       non-zero base: {@code -EBUSY};
 *   <li>otherwise the mm's mode becomes {@code args}; every thread's GS base follows at its next
 *       return to user ({@link GsPopulation}), the caller's at the return from this call.
 * </ol>
 *
 * <p>{@code PT_GET_GS_MODE(&args, size, 0, 0)}: the same size and zero-argument checks, then the
 * mm's mode written back ({@code index_mode} 0 and zeros when off); {@code -EFAULT} when it cannot
 * be written.
 *
 * <p><b>Caveats:</b> the wrapper's refusal still pays the syscall entry and exit the machine
 * charges for every {@code syscall} instruction (a real wrapper would not enter the kernel).
 * Threads of the mm running on other CPUs when the mode is set keep their old base until their
 * next return to user (a tick at most later): the kernel sends them no IPI.
 */
public final class GsModePrctl implements SyscallHandler {
  private final GsMode gs;
  private final IntFunction<GsModeTunable> tunableOfPid;
  private final UserAccess user = new UserAccess();

  /** The handler over {@code gs}; {@code tunableOfPid} gives each process's libc tunable. */
  public GsModePrctl(GsMode gs, IntFunction<GsModeTunable> tunableOfPid) {
    this.gs = Objects.requireNonNull(gs);
    this.tunableOfPid = Objects.requireNonNull(tunableOfPid);
  }

  @Override
  public long call(SyscallContext c) {
    int option = (int) c.arg(0);
    if (option == GsModeAbi.PT_SET_GS_MODE) {
      if (tunableOfPid.apply(c.task().process().pid()) == GsModeTunable.DENY) {
        c.kernel().count("gs_mode.libc_refused", 1);
        return Errno.fail(Errno.EPERM);
      }
      return set(c);
    }
    if (option == GsModeAbi.PT_GET_GS_MODE) {
      return get(c);
    }
    return Errno.fail(Errno.EINVAL);
  }

  private long set(SyscallContext c) {
    if (!sizeAndUnusedOk(c)) {
      return Errno.fail(Errno.EINVAL);
    }
    GsModeArgs args = read(c.memory(), c.arg(1));
    if (args == null) {
      return Errno.fail(Errno.EFAULT);
    }
    if (args.flags() != 0) {
      return Errno.fail(Errno.EINVAL);
    }
    Task task = c.task();
    Process p = task.process();
    if (args.indexMode() == GsModeAbi.GS_INDEX_MODE_NONE) {
      if (args.stride() != 0 || args.origin() != 0) {
        return Errno.fail(Errno.EINVAL);
      }
      gs.setMode(p, GsModeArgs.OFF);
      return 0;
    }
    if (args.indexMode() != GsModeAbi.GS_INDEX_MODE_MM_VCPU
        || !layoutOk(args, c.kernel().nrCpuIds())) {
      return Errno.fail(Errno.EINVAL);
    }
    for (Task t : p.threads()) {
      if (!t.hasExited() && gs.ownsGs(t.tid())) {
        c.kernel().count("gs_mode.set_busy", 1);
        return Errno.fail(Errno.EBUSY);
      }
    }
    gs.setMode(p, args);
    return 0;
  }

  /**
   * The MM_VCPU layout rules: stride a power of two of at least one page; origin at or above
   * {@code mmap_min_addr} when that is checked; the region of the highest possible cid, {@code
   * nr_cpu_ids - 1}, ending at or below {@code TASK_SIZE_MAX}. Values are unsigned.
   */
  boolean layoutOk(GsModeArgs args, int nrCpuIds) {
    long stride = args.stride();
    long origin = args.origin();
    if (Long.bitCount(stride) != 1 || Long.compareUnsigned(stride, GsModeAbi.MIN_STRIDE) < 0) {
      return false;
    }
    GsModeConfig config = gs.config();
    if (config.checkOriginAgainstMmapMinAddr()
        && Long.compareUnsigned(origin, config.mmapMinAddr()) < 0) {
      return false;
    }
    // stride * nr_cpu_ids <= TASK_SIZE_MAX, then origin <= TASK_SIZE_MAX - span: no wrap-around.
    if (Long.compareUnsigned(stride, Long.divideUnsigned(GsModeAbi.TASK_SIZE_MAX, nrCpuIds)) > 0) {
      return false;
    }
    long span = stride * nrCpuIds;
    return Long.compareUnsigned(origin, GsModeAbi.TASK_SIZE_MAX - span) <= 0;
  }

  private long get(SyscallContext c) {
    if (!sizeAndUnusedOk(c)) {
      return Errno.fail(Errno.EINVAL);
    }
    GsModeArgs m = gs.mode(c.task().process().pid());
    return write(c.memory(), c.arg(1), m) ? 0 : Errno.fail(Errno.EFAULT);
  }

  private static boolean sizeAndUnusedOk(SyscallContext c) {
    return c.arg(2) == GsModeAbi.ARGS_SIZE && c.arg(3) == 0 && c.arg(4) == 0;
  }

  /** {@code copy_from_user()} of the struct, or null on a fault. */
  private GsModeArgs read(AddressSpace m, long address) {
    if (!UserAccess.accessOk(address, GsModeAbi.ARGS_SIZE)) {
      return null;
    }
    if (!user.get(m, address + GsModeAbi.INDEX_MODE_OFFSET, 4)) {
      return null;
    }
    long mode = user.value();
    if (!user.get(m, address + GsModeAbi.FLAGS_OFFSET, 4)) {
      return null;
    }
    long flags = user.value();
    if (!user.get(m, address + GsModeAbi.STRIDE_OFFSET, 8)) {
      return null;
    }
    long stride = user.value();
    if (!user.get(m, address + GsModeAbi.ORIGIN_OFFSET, 8)) {
      return null;
    }
    return new GsModeArgs(mode & 0xffff_ffffL, flags & 0xffff_ffffL, stride, user.value());
  }

  /** {@code copy_to_user()} of the struct; false on a fault. */
  private boolean write(AddressSpace m, long address, GsModeArgs args) {
    return UserAccess.accessOk(address, GsModeAbi.ARGS_SIZE)
        && user.put(m, address + GsModeAbi.INDEX_MODE_OFFSET, 4, args.indexMode())
        && user.put(m, address + GsModeAbi.FLAGS_OFFSET, 4, args.flags())
        && user.put(m, address + GsModeAbi.STRIDE_OFFSET, 8, args.stride())
        && user.put(m, address + GsModeAbi.ORIGIN_OFFSET, 8, args.origin());
  }
}
