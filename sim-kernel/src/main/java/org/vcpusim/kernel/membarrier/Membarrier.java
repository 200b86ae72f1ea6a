package org.vcpusim.kernel.membarrier;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntConsumer;
import org.vcpusim.kernel.rseq.Rseq;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.syscall.SyscallContext;
import org.vcpusim.kernel.syscall.SyscallHandler;
import org.vcpusim.kernel.syscall.SyscallNumbers;
import org.vcpusim.kernel.syscall.SyscallTable;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * {@code membarrier(int cmd, unsigned int flags, int cpu_id)}, x86-64 number 324 ({@code
 * SYSCALL_DEFINE3(membarrier, ...)}, kernel/sched/membarrier.c; commands in
 * include/uapi/linux/membarrier.h), with the per-mm registration state ({@code
 * mm->membarrier_state}, keyed by pid).
 *
 * <p><b>Commands.</b> {@code QUERY} returns {@link #SUPPORTED}; {@code REGISTER_PRIVATE_EXPEDITED}
 * and {@code REGISTER_PRIVATE_EXPEDITED_RSEQ} set the mm's state bits ({@code
 * membarrier_register_private_expedited()}: the RSEQ one sets {@code PRIVATE_EXPEDITED}, {@code
 * PRIVATE_EXPEDITED_RSEQ} and {@code PRIVATE_EXPEDITED_RSEQ_READY}, so it does not make plain
 * {@code PRIVATE_EXPEDITED} usable); {@code PRIVATE_EXPEDITED} and {@code PRIVATE_EXPEDITED_RSEQ}
 * send the IPIs ({@code membarrier_private_expedited()}); {@code GET_REGISTRATIONS} reports the
 * registration commands whose state bits are set. The global and SYNC_CORE commands are not
 * provided: they return EINVAL, as on a kernel without them, and QUERY does not list them.
 *
 * <p><b>Checks, in the kernel's order.</b> {@code flags} other than 0 (any command) or {@code
 * MEMBARRIER_CMD_FLAG_CPU} ({@code PRIVATE_EXPEDITED_RSEQ} only) → EINVAL; without {@code
 * FLAG_CPU} the {@code cpu_id} argument is ignored (-1); unknown command → EINVAL; an expedited
 * command on an mm not registered for it → EPERM. Then, if the mm has one live thread or the
 * machine one CPU, 0 without any IPI. With {@code FLAG_CPU}: a {@code cpu_id} ≥ {@code nr_cpu_ids}
 * returns 0 with no IPI (the kernel's {@code goto out}: not an error), a negative one means "all
 * CPUs"; the CPU is interrupted only if its current task belongs to the mm — the caller's own
 * CPU included, where the kernel runs the function locally ({@code smp_call_function_single()}), so
 * the caller itself gets the rseq event. Without {@code FLAG_CPU}: every other CPU whose current
 * task belongs to the mm ({@code smp_call_function_many()} skips the calling CPU; "For RSEQ, don't
 * rseq_preempt() the caller").
 *
 * <p><b>IPIs.</b> Sent with {@link KernelServices#sendIpi}. {@code ipi_rseq()} calls {@link
 * Rseq#onMembarrierIpi} on the target CPU's current task when the IPI arrives, whatever its mm is
 * by then (the kernel does not re-check); {@code ipi_mb()} is a full barrier, which has no further
 * effect on the simulator's sequentially consistent memory. Each IPI sent charges {@code
 * ipiCycles} to the caller's CPU under {@link CostCategory#MEMBARRIER}; the syscall entry/exit is
 * the machine's.
 *
 * <p><b>Lifecycle.</b> {@link #onFork}: {@code dup_mm()} copies the parent's mm, state included;
 * {@link #onExec}: {@code membarrier_exec_mmap()} clears it.
 *
 * <p><b>Caveats:</b> the kernel waits for every IPI ({@code wait = true}) before the syscall
 * returns; the machine must keep the caller in the kernel until the IPIs it sent during the call
 * have run on their targets. The registration's {@code synchronize_rcu()} and runqueue-state IPIs
 * are not modelled (registration is free). All CPUs are online. Not thread-safe.
 */
public final class Membarrier implements SyscallHandler {
  public static final int MEMBARRIER_CMD_QUERY = 0;
  public static final int MEMBARRIER_CMD_GLOBAL = 1;
  public static final int MEMBARRIER_CMD_GLOBAL_EXPEDITED = 1 << 1;
  public static final int MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 1 << 2;
  public static final int MEMBARRIER_CMD_PRIVATE_EXPEDITED = 1 << 3;
  public static final int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 1 << 4;
  public static final int MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 5;
  public static final int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 6;
  public static final int MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ = 1 << 7;
  public static final int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ = 1 << 8;
  public static final int MEMBARRIER_CMD_GET_REGISTRATIONS = 1 << 9;

  /** {@code MEMBARRIER_CMD_FLAG_CPU}: {@code cpu_id} names the one CPU to interrupt. */
  public static final int MEMBARRIER_CMD_FLAG_CPU = 1;

  /** What QUERY returns: the commands this model implements. */
  public static final int SUPPORTED =
      MEMBARRIER_CMD_PRIVATE_EXPEDITED
          | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED
          | MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ
          | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ
          | MEMBARRIER_CMD_GET_REGISTRATIONS;

  /** {@code MEMBARRIER_STATE_PRIVATE_EXPEDITED_READY} (include/linux/sched/mm.h). */
  static final int STATE_PRIVATE_EXPEDITED_READY = 1;
  /** {@code MEMBARRIER_STATE_PRIVATE_EXPEDITED}. */
  static final int STATE_PRIVATE_EXPEDITED = 1 << 1;
  /** {@code MEMBARRIER_STATE_PRIVATE_EXPEDITED_RSEQ_READY}. */
  static final int STATE_PRIVATE_EXPEDITED_RSEQ_READY = 1 << 6;
  /** {@code MEMBARRIER_STATE_PRIVATE_EXPEDITED_RSEQ}. */
  static final int STATE_PRIVATE_EXPEDITED_RSEQ = 1 << 7;

  /** Command bits defined by the uapi (QUERY aside): bits 0..9. */
  private static final int COMMAND_BITS = 10;
  /** Counter slot of a value that is not a single defined command. */
  private static final int OTHER_SLOT = COMMAND_BITS + 1;
  /** Initial capacity of the per-pid state array; it doubles as higher pids appear. */
  private static final int INITIAL = 64;

  private final KernelServices kernel;
  private final Rseq rseq;
  private final long ipiCycles;
  private final IntConsumer ipiRseq;
  private final IntConsumer ipiMb;

  private int[] state = new int[INITIAL];
  private final long[] commands = new long[OTHER_SLOT + 1];
  private long ipisSent;
  private long localCalls;
  private long rseqEvents;

  /**
   * A membarrier implementation.
   *
   * @param ipiCycles cycles charged to the caller's CPU under {@code MEMBARRIER} for each IPI sent;
   *     the machine passes the CPU profile's {@code kernel.ipiSendAndDeliver}
   */
  public Membarrier(KernelServices kernel, Rseq rseq, long ipiCycles) {
    if (ipiCycles < 0) {
      throw new IllegalArgumentException("negative IPI cost");
    }
    this.kernel = Objects.requireNonNull(kernel);
    this.rseq = Objects.requireNonNull(rseq);
    this.ipiCycles = ipiCycles;
    this.ipiRseq = this::ipiRseq;
    this.ipiMb = cpu -> kernel.count("membarrier.ipi_mb", 1);
  }

  /** Builds the handler and registers it as {@code membarrier} (324) in {@code table}. */
  public static Membarrier install(SyscallTable table, KernelServices kernel, Rseq rseq,
      long ipiCycles) {
    Membarrier m = new Membarrier(kernel, rseq, ipiCycles);
    table.register(SyscallNumbers.MEMBARRIER, "membarrier", m);
    return m;
  }

  @Override
  public long call(SyscallContext call) {
    int cmd = (int) call.arg(0);
    int flags = (int) call.arg(1);
    int cpuId = (int) call.arg(2);
    countCommand(cmd);
    if (cmd == MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ) {
      if (flags != 0 && flags != MEMBARRIER_CMD_FLAG_CPU) {
        return Errno.fail(Errno.EINVAL);
      }
    } else if (flags != 0) {
      return Errno.fail(Errno.EINVAL);
    }
    if ((flags & MEMBARRIER_CMD_FLAG_CPU) == 0) {
      cpuId = -1;
    }
    Task caller = call.task();
    switch (cmd) {
      case MEMBARRIER_CMD_QUERY:
        return SUPPORTED;
      case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
        return privateExpedited(caller, call.cpu(), false, cpuId);
      case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
        return register(caller.process(), false);
      case MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ:
        return privateExpedited(caller, call.cpu(), true, cpuId);
      case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ:
        return register(caller.process(), true);
      case MEMBARRIER_CMD_GET_REGISTRATIONS:
        return registrations(caller.process());
      default:
        return Errno.fail(Errno.EINVAL);
    }
  }

  /** {@code membarrier_private_expedited()}. */
  private long privateExpedited(Task caller, int callerCpu, boolean rseqFlavour, int cpuId) {
    Process mm = caller.process();
    int s = state(mm);
    int ready = rseqFlavour ? STATE_PRIVATE_EXPEDITED_RSEQ_READY : STATE_PRIVATE_EXPEDITED_READY;
    if ((s & ready) == 0) {
      return Errno.fail(Errno.EPERM);
    }
    if (mm.liveThreads() == 1 || kernel.nrCpuIds() == 1) {
      return 0;
    }
    IntConsumer ipi = rseqFlavour ? ipiRseq : ipiMb;
    if (cpuId >= 0) {
      if (cpuId >= kernel.nrCpuIds()) {
        return 0;
      }
      Task p = kernel.currentOn(cpuId);
      if (p == null || p.process() != mm) {
        return 0;
      }
      if (cpuId == callerCpu) {
        localCalls++;
        kernel.count("membarrier.local_call", 1);
        ipi.accept(cpuId);
      } else {
        send(callerCpu, cpuId, ipi);
      }
      return 0;
    }
    for (int cpu = 0; cpu < kernel.nrCpuIds(); cpu++) {
      if (cpu == callerCpu) {
        continue;
      }
      Task p = kernel.currentOn(cpu);
      if (p != null && p.process() == mm) {
        send(callerCpu, cpu, ipi);
      }
    }
    return 0;
  }

  private void send(int fromCpu, int toCpu, IntConsumer ipi) {
    ipisSent++;
    kernel.count("membarrier.ipi", 1);
    kernel.charge(fromCpu, ipiCycles, CostCategory.MEMBARRIER);
    kernel.sendIpi(toCpu, ipi);
  }

  /** {@code ipi_rseq()}: {@code rseq_preempt(current)} on the CPU the IPI reached. */
  private void ipiRseq(int cpu) {
    Task current = kernel.currentOn(cpu);
    if (current != null) {
      rseqEvents++;
      rseq.onMembarrierIpi(current);
    }
  }

  /** {@code membarrier_register_private_expedited()}. */
  private long register(Process mm, boolean rseqFlavour) {
    int ready = rseqFlavour ? STATE_PRIVATE_EXPEDITED_RSEQ_READY : STATE_PRIVATE_EXPEDITED_READY;
    int s = state(mm);
    if ((s & ready) == ready) {
      return 0;
    }
    int set = STATE_PRIVATE_EXPEDITED | (rseqFlavour ? STATE_PRIVATE_EXPEDITED_RSEQ : 0);
    setState(mm, s | set | ready);
    return 0;
  }

  /** {@code membarrier_get_registrations()} for the commands this model has. */
  private long registrations(Process mm) {
    int s = state(mm);
    int mask = 0;
    if ((s & (STATE_PRIVATE_EXPEDITED | STATE_PRIVATE_EXPEDITED_READY)) != 0) {
      mask |= MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;
    }
    if ((s & (STATE_PRIVATE_EXPEDITED_RSEQ | STATE_PRIVATE_EXPEDITED_RSEQ_READY)) != 0) {
      mask |= MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ;
    }
    return mask;
  }

  private int state(Process mm) {
    int pid = mm.pid();
    return pid < state.length ? state[pid] : 0;
  }

  private void setState(Process mm, int value) {
    int pid = mm.pid();
    if (pid >= state.length) {
      state = Arrays.copyOf(state, Math.max(pid + 1, state.length * 2));
    }
    state[pid] = value;
  }

  /** {@code dup_mm()}: a forked process starts with its parent's registrations. */
  public void onFork(Process parent, Process child) {
    setState(child, state(parent));
  }

  /** {@code membarrier_exec_mmap()}: a new image starts unregistered. */
  public void onExec(Process process) {
    setState(process, 0);
  }

  private void countCommand(int cmd) {
    commands[slot(cmd)]++;
    kernel.count("membarrier.cmd", 1);
  }

  private static int slot(int cmd) {
    if (cmd == MEMBARRIER_CMD_QUERY) {
      return 0;
    }
    int bit = Integer.numberOfTrailingZeros(cmd);
    return Integer.bitCount(cmd) == 1 && bit < COMMAND_BITS ? bit + 1 : OTHER_SLOT;
  }

  /** Calls with command {@code cmd} (one MEMBARRIER_CMD_* value; others count together). */
  public long commands(int cmd) {
    return commands[slot(cmd)];
  }

  /** Every call. */
  public long totalCommands() {
    long n = 0;
    for (long c : commands) {
      n += c;
    }
    return n;
  }

  /** IPIs sent (local calls on the caller's CPU excluded). */
  public long ipisSent() {
    return ipisSent;
  }

  /** {@code FLAG_CPU} calls that named the caller's own CPU and ran the function locally. */
  public long localCalls() {
    return localCalls;
  }

  /** rseq events raised by {@code ipi_rseq()} (IPIs that found a current task). */
  public long rseqEvents() {
    return rseqEvents;
  }

  /** True when {@code process} registered for {@code PRIVATE_EXPEDITED_RSEQ}. */
  public boolean isRegisteredRseq(Process process) {
    return (state(process) & STATE_PRIVATE_EXPEDITED_RSEQ_READY) != 0;
  }
}
