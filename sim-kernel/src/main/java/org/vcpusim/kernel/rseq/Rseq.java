package org.vcpusim.kernel.rseq;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.entry.ReturnToUser;
import org.vcpusim.kernel.signal.SignalDeliveryHook;
import org.vcpusim.kernel.signal.SignalNumbers;
import org.vcpusim.kernel.signal.Signals;
import org.vcpusim.kernel.syscall.SyscallNumbers;
import org.vcpusim.kernel.syscall.SyscallTable;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.task.TaskWork;

/**
 * Restartable sequences: each task's registration and pending events, the hooks the scheduler,
 * signal delivery, membarrier and the task lifecycle call, and the counters of what the kernel did
 * (kernel/rseq.c and include/linux/rseq.h through 6.18, torvalds/linux@1260ed77; reference
 * kernel.md §2.4).
 *
 * <p><b>Events.</b> {@link #onPreempt} ({@code rseq_preempt()}, called for the task being switched
 * out in {@code prepare_task_switch()}), {@link #onMigrate} ({@code rseq_migrate()}, from {@code
 * set_task_cpu()}) and {@link #onMembarrierIpi} ({@code ipi_rseq()} → {@code
 * rseq_preempt(current)}) set a bit in the task's event mask — whether or not it is registered, as
 * the kernel does — and, when it is registered, {@link TaskWork#NOTIFY_RESUME}. The return-to-user
 * steps {@link RseqCsFixup} and {@link RseqIdUpdate} then do {@code __rseq_handle_notify_resume()}'s
 * two halves. {@link #beforeSignalFrame} is {@code rseq_signal_deliver()}: it sets the SIGNAL bit
 * and runs the fixup (and, under {@link RseqIdUpdatePolicy#LEGACY}, the id update) at once, before
 * the signal frame saves the user IP.
 *
 * <p><b>Event mask.</b> The kernel reads and clears {@code rseq_event_mask} only when the IP is
 * inside a critical section ({@code rseq_need_restart()}); the simulator clears it after every
 * evaluation of the fixup. The abort decisions are the same: every path that raises {@code
 * TIF_NOTIFY_RESUME} for rseq also sets an event bit, except registration, whose pass finds
 * {@code rseq_cs} already cleared by {@code sys_rseq}. Clearing keeps the abort causes exact (a
 * stale PREEMPT bit cannot take the credit for a later membarrier IPI). Alongside the kernel's
 * mask the simulator keeps a cause set with {@link RseqEvent#MEMBARRIER} apart; an abort is
 * attributed to one cause in {@link RseqEvent#ATTRIBUTION_ORDER} ({@link #aborts}) and every
 * pending cause is also counted ({@link #abortEvents}).
 *
 * <p><b>Lifecycle.</b> {@link #onFork} is {@code rseq_fork()}: a {@code CLONE_VM} child (a thread)
 * starts unregistered; a forked process inherits the registration, signature and pending events
 * (the area is at the same address in the copied memory). {@link #onExec} is {@code
 * rseq_execve()}; {@link #onExit} drops the registration.
 *
 * <p><b>Failures.</b> Where the kernel calls {@code force_sigsegv()} (a bad descriptor, a fault on
 * the area) the simulator kills the process with SIGSEGV through {@link
 * KernelServices#killProcess} with a reason naming the task, the IP and the violated rule: a
 * finding of the run.
 *
 * <p><b>Caveats:</b> per-task state is indexed by tid in arrays that grow with the highest tid
 * seen. The kernel's {@code force_sig(SIGSEGV)} would run a SIGSEGV handler if the program
 * installed one; the simulator treats every rseq failure as fatal. The 6.19 rewrite's other
 * changes (critical sections evaluated only after interrupts, the debug-mode read-only field
 * checks, time-slice extension) are not modelled: the abort rule is the 6.18 one under both id
 * policies. Not thread-safe; one instance per machine.
 */
public final class Rseq implements SignalDeliveryHook {
  /** {@code RSEQ_EVENT_PREEMPT_BIT}'s mask (include/linux/rseq.h ≤ 6.18). */
  static final int EVENT_PREEMPT_BIT = 1;
  /** {@code RSEQ_EVENT_SIGNAL_BIT}'s mask. */
  static final int EVENT_SIGNAL_BIT = 1 << 1;
  /** {@code RSEQ_EVENT_MIGRATE_BIT}'s mask. */
  static final int EVENT_MIGRATE_BIT = 1 << 2;

  /** Initial capacity of the per-tid arrays; they double as higher tids appear. */
  private static final int INITIAL_TASKS = 64;
  /** The cached id of a task that has had no ids written (the kernel's UNINITIALIZED). */
  private static final int NO_ID = RseqAbi.RSEQ_CPU_ID_UNINITIALIZED;

  private final KernelServices kernel;
  private final RseqConfig config;
  private final RseqCsFixup fixup;
  private final RseqIdUpdate idUpdate;
  private final RseqSyscall syscall;

  private boolean[] registered = new boolean[INITIAL_TASKS];
  private long[] area = new long[INITIAL_TASKS];
  private int[] length = new int[INITIAL_TASKS];
  private int[] signature = new int[INITIAL_TASKS];
  private int[] eventMask = new int[INITIAL_TASKS];
  private int[] causes = new int[INITIAL_TASKS];
  private int[] lastCpu = filled(INITIAL_TASKS);
  private int[] lastCid = filled(INITIAL_TASKS);

  private final long[] aborts = new long[RseqEvent.values().length];
  private final long[] abortEvents = new long[RseqEvent.values().length];
  private final String[] abortCounter = new String[RseqEvent.values().length];
  private long registrations;
  private long unregistrations;
  private long kills;

  /** A subsystem with the given parameters; see {@link #install} for the usual wiring. */
  public Rseq(KernelServices kernel, RseqConfig config) {
    this.kernel = Objects.requireNonNull(kernel);
    this.config = Objects.requireNonNull(config);
    this.fixup = new RseqCsFixup(this);
    this.idUpdate = new RseqIdUpdate(this);
    this.syscall = new RseqSyscall(this);
    for (RseqEvent e : RseqEvent.values()) {
      abortCounter[e.ordinal()] = "rseq.abort." + e.counterName();
    }
  }

  /**
   * Builds the subsystem and wires it into a machine: {@code rseq} (334) in {@code table}, {@link
   * RseqCsFixup} at {@link ReturnToUser.Stage#RSEQ_CS_FIXUP}, {@link RseqIdUpdate} at {@link
   * ReturnToUser.Stage#RSEQ_ID_UPDATE}, and {@link #beforeSignalFrame} as a delivery hook of
   * {@code signals}.
   */
  public static Rseq install(SyscallTable table, ReturnToUser returnToUser, Signals signals,
      KernelServices kernel, RseqConfig config) {
    Rseq rseq = new Rseq(kernel, config);
    table.register(SyscallNumbers.RSEQ, "rseq", rseq.syscall);
    returnToUser.install(ReturnToUser.Stage.RSEQ_CS_FIXUP, rseq.fixup);
    returnToUser.install(ReturnToUser.Stage.RSEQ_ID_UPDATE, rseq.idUpdate);
    signals.addDeliveryHook(rseq);
    return rseq;
  }

  public RseqConfig config() {
    return config;
  }

  /** The {@code rseq} system call handler. */
  public RseqSyscall syscall() {
    return syscall;
  }

  /** The critical-section fixup step. */
  public RseqCsFixup csFixup() {
    return fixup;
  }

  /** The id-field update step. */
  public RseqIdUpdate idUpdate() {
    return idUpdate;
  }

  KernelServices kernel() {
    return kernel;
  }

  // ------------------------------------------------------------------ registration state

  /** True when task {@code tid} has a registered rseq area ({@code current->rseq != NULL}). */
  public boolean isRegistered(int tid) {
    return tid < registered.length && registered[tid];
  }

  /** The registered area's address (0 when unregistered). */
  public long area(int tid) {
    return tid < area.length ? area[tid] : 0;
  }

  /** The registered length ({@code rseq_len}; 0 when unregistered). */
  public int length(int tid) {
    return tid < length.length ? length[tid] : 0;
  }

  /** The registered signature ({@code rseq_sig}; 0 when unregistered). */
  public int signature(int tid) {
    return tid < signature.length ? signature[tid] : 0;
  }

  /** The kernel's pending event bits for the task (PREEMPT 1, SIGNAL 2, MIGRATE 4). */
  public int eventMask(int tid) {
    return tid < eventMask.length ? eventMask[tid] : 0;
  }

  /** True when {@code event} is among the task's pending causes. */
  public boolean hasPendingEvent(int tid, RseqEvent event) {
    return tid < causes.length && (causes[tid] & event.causeBit()) != 0;
  }

  void register(Task task, long address, int len, int sig) {
    int tid = task.tid();
    ensure(tid);
    registered[tid] = true;
    area[tid] = address;
    length[tid] = len;
    signature[tid] = sig;
    // rseq_reset() in 6.19: the cached ids start UNINITIALIZED so that the first exit writes them.
    lastCpu[tid] = NO_ID;
    lastCid[tid] = NO_ID;
    task.setWork(TaskWork.NOTIFY_RESUME);
    registrations++;
    kernel.count("rseq.register", 1);
  }

  void unregister(Task task) {
    reset(task.tid());
    unregistrations++;
    kernel.count("rseq.unregister", 1);
  }

  private void reset(int tid) {
    if (tid >= registered.length) {
      return;
    }
    registered[tid] = false;
    area[tid] = 0;
    length[tid] = 0;
    signature[tid] = 0;
    eventMask[tid] = 0;
    causes[tid] = 0;
    lastCpu[tid] = NO_ID;
    lastCid[tid] = NO_ID;
  }

  // ------------------------------------------------------------------ events

  /** {@code rseq_preempt()}: {@code task} is being switched out (every context switch). */
  public void onPreempt(Task task) {
    raise(task, RseqEvent.PREEMPT);
  }

  /** {@code rseq_migrate()}: {@code set_task_cpu()} moves {@code task} to another CPU. */
  public void onMigrate(Task task) {
    raise(task, RseqEvent.MIGRATE);
  }

  /**
   * {@code ipi_rseq()}: a membarrier {@code PRIVATE_EXPEDITED_RSEQ} IPI arrived while {@code task}
   * was current on the target CPU; the kernel calls {@code rseq_preempt(current)}.
   */
  public void onMembarrierIpi(Task task) {
    raise(task, RseqEvent.MEMBARRIER);
  }

  private void raise(Task task, RseqEvent event) {
    int tid = task.tid();
    ensure(tid);
    eventMask[tid] |= event.kernelBit();
    causes[tid] |= event.causeBit();
    if (registered[tid]) {
      task.setWork(TaskWork.NOTIFY_RESUME);
    }
  }

  /**
   * {@code rseq_signal_deliver()}, called by signal delivery before it builds the frame for {@code
   * sig}: sets the SIGNAL event and runs {@code __rseq_handle_notify_resume(ksig, regs)} at once —
   * the critical-section fixup, so the frame saves the abort IP, then the id update under the
   * configured policy (LEGACY rewrites the ids before every signal frame; ON_CHANGE writes them
   * only if they changed). Does nothing for an unregistered task. On failure the process is killed
   * and {@code exit} marked killed.
   */
  @Override
  public void beforeSignalFrame(ExitToUser exit, int sig) {
    Task task = exit.task();
    int tid = task.tid();
    if (!isRegistered(tid)) {
      return;
    }
    eventMask[tid] |= EVENT_SIGNAL_BIT;
    causes[tid] |= RseqEvent.SIGNAL.causeBit();
    if (fixup.fixup(exit)) {
      idUpdate.update(exit);
    }
  }

  /**
   * {@code rseq_fork()}: {@code child} was created by {@code parent}. With {@code cloneVm} (a new
   * thread) it starts unregistered; otherwise (fork) it inherits the registration, signature,
   * pending events and the ids last written, and gets {@link TaskWork#NOTIFY_RESUME} so its first
   * return to user writes the ids it will run with (the kernel leaves that to the child's first
   * preemption or migration).
   */
  public void onFork(Task parent, Task child, boolean cloneVm) {
    int c = child.tid();
    ensure(Math.max(c, parent.tid()));
    reset(c);
    if (cloneVm || !registered[parent.tid()]) {
      return;
    }
    int p = parent.tid();
    registered[c] = true;
    area[c] = area[p];
    length[c] = length[p];
    signature[c] = signature[p];
    eventMask[c] = eventMask[p];
    causes[c] = causes[p];
    lastCpu[c] = lastCpu[p];
    lastCid[c] = lastCid[p];
    child.setWork(TaskWork.NOTIFY_RESUME);
  }

  /** {@code rseq_execve()}: the new image starts unregistered. */
  public void onExec(Task task) {
    reset(task.tid());
  }

  /** The task exited: its registration is dropped (nothing is written to user memory). */
  public void onExit(Task task) {
    reset(task.tid());
  }

  /**
   * {@code rseq_syscall()} (kernel/rseq.c, {@code CONFIG_DEBUG_RSEQ}): with {@link
   * RseqConfig#debugRseq()} on, a system call made from inside the task's current critical section,
   * or while its {@code rseq_cs} is invalid, kills the process with SIGSEGV. The kernel runs the
   * check in {@code syscall_exit_to_user_mode_prepare()}, i.e. after the handler and before the
   * return-to-user work, on the IP the task will resume at.
   *
   * @return true when the task may continue, false when it was killed
   */
  public boolean rseqSyscall(Task task) {
    if (!config.debugRseq() || !isRegistered(task.tid())) {
      return true;
    }
    return fixup.debugSyscallCheck(task);
  }

  // ------------------------------------------------------------------ fixup and id helpers

  /**
   * Ends one evaluation of the fixup: returns the kernel mask and the causes pending for the task
   * and clears both.
   */
  int takeEvents(int tid) {
    int mask = eventMask[tid];
    eventMask[tid] = 0;
    causes[tid] = 0;
    return mask;
  }

  int causes(int tid) {
    return causes[tid];
  }

  /**
   * Records an abort whose pending causes were {@code causeBits} (and kernel mask {@code mask}).
   *
   * @return the cause the abort is attributed to ({@link RseqEvent#ATTRIBUTION_ORDER})
   */
  RseqEvent recordAbort(int causeBits, int mask) {
    int bits = causeBits;
    if (bits == 0) {
      // Only the kernel mask is known (inherited across fork): map its bits one to one.
      bits |= (mask & EVENT_PREEMPT_BIT) != 0 ? RseqEvent.PREEMPT.causeBit() : 0;
      bits |= (mask & EVENT_SIGNAL_BIT) != 0 ? RseqEvent.SIGNAL.causeBit() : 0;
      bits |= (mask & EVENT_MIGRATE_BIT) != 0 ? RseqEvent.MIGRATE.causeBit() : 0;
    }
    RseqEvent attributed = RseqEvent.PREEMPT;
    for (RseqEvent e : RseqEvent.ATTRIBUTION_ORDER) {
      if ((bits & e.causeBit()) != 0) {
        attributed = e;
        break;
      }
    }
    aborts[attributed.ordinal()]++;
    kernel.count(abortCounter[attributed.ordinal()], 1);
    for (RseqEvent e : RseqEvent.values()) {
      if ((bits & e.causeBit()) != 0) {
        abortEvents[e.ordinal()]++;
      }
    }
    return attributed;
  }

  int lastCpu(int tid) {
    return lastCpu[tid];
  }

  int lastCid(int tid) {
    return lastCid[tid];
  }

  void rememberIds(int tid, int cpu, int cid) {
    lastCpu[tid] = cpu;
    lastCid[tid] = cid;
  }

  /** {@code force_sigsegv()}: kills the task's process with SIGSEGV and a reason. */
  void kill(Task task, String why) {
    kills++;
    kernel.count("rseq.sigsegv", 1);
    String reason = String.format(Locale.ROOT, "rseq: SIGSEGV for %s at rip=%#x: %s", task,
        task.context().rip(), why);
    kernel.killProcess(task.process(), SignalNumbers.SIGSEGV, reason);
  }

  private void ensure(int tid) {
    if (tid < registered.length) {
      return;
    }
    int n = Math.max(tid + 1, registered.length * 2);
    registered = Arrays.copyOf(registered, n);
    area = Arrays.copyOf(area, n);
    length = Arrays.copyOf(length, n);
    signature = Arrays.copyOf(signature, n);
    eventMask = Arrays.copyOf(eventMask, n);
    causes = Arrays.copyOf(causes, n);
    int old = lastCpu.length;
    lastCpu = Arrays.copyOf(lastCpu, n);
    lastCid = Arrays.copyOf(lastCid, n);
    Arrays.fill(lastCpu, old, n, NO_ID);
    Arrays.fill(lastCid, old, n, NO_ID);
  }

  private static int[] filled(int n) {
    int[] a = new int[n];
    Arrays.fill(a, NO_ID);
    return a;
  }

  // ------------------------------------------------------------------ counters

  /** Aborts attributed to {@code cause} (they add up to {@link #totalAborts()}). */
  public long aborts(RseqEvent cause) {
    return aborts[cause.ordinal()];
  }

  /** Aborts at which {@code cause} was among the pending events. */
  public long abortEvents(RseqEvent cause) {
    return abortEvents[cause.ordinal()];
  }

  /** Every abort (IP moved to {@code abort_ip}). */
  public long totalAborts() {
    long n = 0;
    for (long a : aborts) {
      n += a;
    }
    return n;
  }

  /** Successful registrations. */
  public long registrations() {
    return registrations;
  }

  /** Successful unregistrations. */
  public long unregistrations() {
    return unregistrations;
  }

  /** Processes killed with SIGSEGV by rseq (bad descriptor, fault on the area, debug check). */
  public long kills() {
    return kills;
  }

  /** Fixup evaluations that found a non-NULL {@code rseq_cs} (the kernel's "cs checks"). */
  public long csChecks() {
    return fixup.checks();
  }

  /** Lazy clears of {@code rseq_cs} (IP outside the critical section). */
  public long csClears() {
    return fixup.clears();
  }

  /** Times the four id fields were written. */
  public long idUpdates() {
    return idUpdate.updates();
  }

  /** u32 stores of id fields (four per update). */
  public long idFieldWrites() {
    return idUpdate.fieldWrites();
  }
}
