package org.vcpusim.kernel.gsmode;

import java.util.Objects;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.syscall.SyscallContext;
import org.vcpusim.kernel.syscall.SyscallHandler;
import org.vcpusim.kernel.syscall.UserAccess;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.Task;

/**
 * {@code arch_prctl(code, addr)} (158) for the FS and GS bases, after {@code do_arch_prctl_64()}
 * (arch/x86/kernel/process_64.c; reference kernel.md §5.2), with the GS mode's conflict rule:
 *
 * <ul>
 *   <li>{@link #ARCH_SET_GS}: {@code addr >= TASK_SIZE_MAX} is {@code -EPERM}. While the caller's
 *       mm is in {@link GsModeAbi#GS_INDEX_MODE_MM_VCPU} mode, {@link GsConflictPolicy#REFUSE}
 *       makes it {@code -EBUSY} ({@code gs_mode.arch_set_gs_refused}); under {@link
 *       GsConflictPolicy#OVERWRITE} it goes ahead, and the population on the return from this very
 *       call overwrites it ({@code gs_mode.overwritten}). A success writes the base (the kernel's
 *       write of the inactive GS base: profile {@code kernel.wrgsbaseKernel} with FSGSBASE,
 *       {@code kernel.wrmsrGsBase} without, charged to {@link CostCategory#RETURN_TO_USER} with
 *       the rest of the system call) and makes the task own its GS base when {@code addr != 0}
 *       ({@code PT_SET_GS_MODE} is then {@code -EBUSY} for its mm); {@code addr == 0} gives it up.
 *   <li>{@link #ARCH_SET_FS}: {@code addr >= TASK_SIZE_MAX} is {@code -EPERM}; otherwise the FS base
 *       is written ({@code WRFSBASE}, profile {@code system.wrfsbase}, with FSGSBASE; otherwise a
 *       {@code WRMSR MSR_FS_BASE}, priced as the profile's one WRMSR figure {@code
 *       kernel.wrmsrGsBase}).
 *   <li>{@link #ARCH_GET_FS}, {@link #ARCH_GET_GS}: {@code put_user()} of the base to {@code addr};
 *       {@code -EFAULT} when it cannot be written.
 *   <li>Any other code: {@code -EINVAL}.
 * </ul>
 *
 * Every base write is reported to {@link org.vcpusim.kernel.task.KernelEventListener#gsBaseWritten}
 * as kind "arch_prctl" (GS only).
 *
 * <p><b>Caveats:</b> the selectors are not modelled (the kernel also loads a null GS/FS selector).
 */
public final class ArchPrctl implements SyscallHandler {
  /** {@code ARCH_SET_GS} (arch/x86/include/uapi/asm/prctl.h). */
  public static final int ARCH_SET_GS = 0x1001;
  /** {@code ARCH_SET_FS}. */
  public static final int ARCH_SET_FS = 0x1002;
  /** {@code ARCH_GET_FS}. */
  public static final int ARCH_GET_FS = 0x1003;
  /** {@code ARCH_GET_GS}. */
  public static final int ARCH_GET_GS = 0x1004;

  private final GsMode gs;
  private final long gsWriteCycles;
  private final long fsWriteCycles;
  private final UserAccess user = new UserAccess();

  /** The handler over {@code gs}, pricing base writes from the profile in the given regime. */
  public ArchPrctl(GsMode gs, CpuProfile.KernelCosts kernel, CpuProfile.SystemInstructions system,
      boolean fsgsbase) {
    this.gs = Objects.requireNonNull(gs);
    this.gsWriteCycles = fsgsbase ? kernel.wrgsbaseKernel() : kernel.wrmsrGsBase();
    this.fsWriteCycles = fsgsbase ? system.wrfsbase() : kernel.wrmsrGsBase();
  }

  @Override
  public long call(SyscallContext c) {
    int code = (int) c.arg(0);
    long addr = c.arg(1);
    Task task = c.task();
    switch (code) {
      case ARCH_SET_GS:
        return setGs(c, task, addr);
      case ARCH_SET_FS:
        if (Long.compareUnsigned(addr, GsModeAbi.TASK_SIZE_MAX) >= 0) {
          return Errno.fail(Errno.EPERM);
        }
        c.kernel().charge(c.cpu(), fsWriteCycles, CostCategory.RETURN_TO_USER);
        task.context().setFsBase(addr);
        return 0;
      case ARCH_GET_FS:
        return user.put(c.memory(), addr, 8, task.context().fsBase()) ? 0
            : Errno.fail(Errno.EFAULT);
      case ARCH_GET_GS:
        return user.put(c.memory(), addr, 8, task.context().gsBase()) ? 0
            : Errno.fail(Errno.EFAULT);
      default:
        return Errno.fail(Errno.EINVAL);
    }
  }

  private long setGs(SyscallContext c, Task task, long addr) {
    if (Long.compareUnsigned(addr, GsModeAbi.TASK_SIZE_MAX) >= 0) {
      return Errno.fail(Errno.EPERM);
    }
    if (gs.isMmVcpu(task.process().pid())
        && gs.config().conflictPolicy() == GsConflictPolicy.REFUSE) {
      c.kernel().count("gs_mode.arch_set_gs_refused", 1);
      return Errno.fail(Errno.EBUSY);
    }
    long old = task.context().gsBase();
    c.kernel().charge(c.cpu(), gsWriteCycles, CostCategory.RETURN_TO_USER);
    task.context().setGsBase(addr);
    gs.archSetGs(task, addr);
    c.kernel().events().gsBaseWritten(c.kernel().now(), c.cpu(), task, old, addr, gsWriteCycles,
        "arch_prctl");
    return 0;
  }
}
