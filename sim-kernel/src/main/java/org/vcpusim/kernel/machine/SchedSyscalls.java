package org.vcpusim.kernel.machine;

import org.vcpusim.core.time.Ticks;
import org.vcpusim.kernel.sched.SchedTask;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.syscall.SyscallContext;
import org.vcpusim.kernel.syscall.SyscallNumbers;
import org.vcpusim.kernel.syscall.SyscallTable;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.topology.CpuMask;

/**
 * The scheduling system calls, with Linux's argument checks and errno values:
 *
 * <ul>
 *   <li>{@code sched_yield()} (24), {@code kernel/sched/core.c: do_sched_yield()}: the CPU
 *       schedules at once; returns 0.
 *   <li>{@code nanosleep(req, rem)} (35), {@code kernel/time/hrtimer.c}: {@code -EFAULT} if {@code
 *       req} cannot be read, {@code -EINVAL} unless {@code 0 <= tv_sec} and {@code 0 <= tv_nsec <
 *       10^9} ({@code timespec64_valid()}); a zero duration returns 0 at once; otherwise the task
 *       sleeps and the machine sets RAX when it wakes: 0 at expiry, {@code -EINTR} when a signal
 *       interrupts it (and the time left is written to {@code rem} if it is not NULL).
 *   <li>{@code sched_setaffinity(pid, len, mask)} (203): pid 0 is the caller, otherwise any live
 *       task of the machine ({@code -ESRCH}); the mask is read as {@code get_user_cpu_mask()} does
 *       (a {@code len} shorter than the kernel's {@code cpumask_size()} leaves the rest clear, a
 *       longer one is cut; {@code -EFAULT} when unreadable); {@code -EINVAL} when it holds no
 *       allowed CPU.
 *   <li>{@code sched_getaffinity(pid, len, mask)} (204): {@code -EINVAL} when {@code len * 8 <
 *       nr_cpu_ids} or {@code len} is not a multiple of 8; {@code -ESRCH}; writes {@code
 *       min(len, cpumask_size())} bytes ({@code -EFAULT}) and returns that count.
 * </ul>
 *
 * {@code cpumask_size()} is {@code BITS_TO_LONGS(nr_cpu_ids) * sizeof(long)}, the size with {@code
 * CONFIG_CPUMASK_OFFSTACK} where masks are sized by the CPUs present.
 */
final class SchedSyscalls {
  /** {@code struct timespec}: {@code tv_sec} then {@code tv_nsec}, 8 bytes each on x86-64. */
  private static final int TIMESPEC_BYTES = 16;
  private static final long NSEC_PER_SEC = 1_000_000_000L;

  private final Machine machine;

  private SchedSyscalls(Machine machine) {
    this.machine = machine;
  }

  static void install(SyscallTable table, Machine machine) {
    SchedSyscalls s = new SchedSyscalls(machine);
    table.register(SyscallNumbers.SCHED_YIELD, "sched_yield", s::schedYield);
    table.register(SyscallNumbers.NANOSLEEP, "nanosleep", s::nanosleep);
    table.register(SyscallNumbers.SCHED_SETAFFINITY, "sched_setaffinity", s::setAffinity);
    table.register(SyscallNumbers.SCHED_GETAFFINITY, "sched_getaffinity", s::getAffinity);
  }

  private long schedYield(SyscallContext c) {
    machine.scheduler().yield(c.cpu(), machine.now());
    return 0;
  }

  private long nanosleep(SyscallContext c) {
    byte[] ts = new byte[TIMESPEC_BYTES];
    if (!UserCopy.read(c.memory(), c.arg(0), ts, TIMESPEC_BYTES)) {
      return Errno.fail(Errno.EFAULT);
    }
    long sec = UserCopy.getLong(ts, 0);
    long nsec = UserCopy.getLong(ts, 8);
    if (sec < 0 || nsec < 0 || nsec >= NSEC_PER_SEC) {
      return Errno.fail(Errno.EINVAL);
    }
    long ps = durationPs(sec, nsec);
    if (ps == 0) {
      return 0;
    }
    c.noReturnValue();
    machine.nanosleep(c.task(), ps, c.arg(1));
    return 0;
  }

  /** {@code sec} s + {@code nsec} ns in picoseconds, saturating at {@link Long#MAX_VALUE}. */
  static long durationPs(long sec, long nsec) {
    if (sec >= Long.MAX_VALUE / Ticks.PER_SECOND) {
      return Long.MAX_VALUE;
    }
    return sec * Ticks.PER_SECOND + nsec * Ticks.PER_NANOSECOND;
  }

  private long setAffinity(SyscallContext c) {
    int len = (int) c.arg(1);
    long ptr = c.arg(2);
    int size = cpumaskSize();
    int copy = Integer.compareUnsigned(len, size) < 0 ? len : size;
    byte[] bytes = new byte[size];
    if (copy > 0 && !UserCopy.read(c.memory(), ptr, bytes, copy)) {
      return Errno.fail(Errno.EFAULT);
    }
    Task target = target(c);
    if (target == null) {
      return Errno.fail(Errno.ESRCH);
    }
    CpuMask mask = CpuMask.empty();
    for (int cpu = 0; cpu < machine.nrCpuIds(); cpu++) {
      if ((bytes[cpu >>> 3] & (1 << (cpu & 7))) != 0) {
        mask = mask.with(cpu);
      }
    }
    return machine.scheduler().setAffinity(target.tid(), mask, machine.now());
  }

  private long getAffinity(SyscallContext c) {
    long len = c.arg(1) & 0xFFFF_FFFFL;
    if (len * 8 < machine.nrCpuIds() || (len & 7) != 0) {
      return Errno.fail(Errno.EINVAL);
    }
    Task target = target(c);
    if (target == null) {
      return Errno.fail(Errno.ESRCH);
    }
    int size = cpumaskSize();
    int n = (int) Math.min(len, size);
    byte[] bytes = new byte[size];
    SchedTask st = machine.schedTask(target);
    st.cpusAllowed().forEach(cpu -> bytes[cpu >>> 3] |= (byte) (1 << (cpu & 7)));
    if (!UserCopy.write(c.memory(), c.arg(2), bytes, n)) {
      return Errno.fail(Errno.EFAULT);
    }
    return n;
  }

  /** {@code find_process_by_pid()}: 0 is the caller, else a live task by id, else null. */
  private Task target(SyscallContext c) {
    int pid = (int) c.arg(0);
    if (pid == 0) {
      return c.task();
    }
    Task t = machine.task(pid);
    return t == null || t.hasExited() ? null : t;
  }

  private int cpumaskSize() {
    return ((machine.nrCpuIds() + 63) / 64) * 8;
  }
}
