package org.vcpusim.kernel.signal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.vcpusim.cpu.exec.Trap;
import org.vcpusim.cpu.mem.MemoryFault;
import org.vcpusim.kernel.entry.ReturnToUser;
import org.vcpusim.kernel.syscall.SyscallNumbers;
import org.vcpusim.kernel.syscall.SyscallTable;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.task.TaskWork;

/**
 * POSIX signals as Linux implements them for x86-64 (kernel/signal.c, arch/x86/kernel/signal.c,
 * arch/x86/kernel/signal_64.c): each process's {@code sigaction} table ({@code sighand}, keyed by
 * pid), each task's blocked mask and private pending set (keyed by tid), each process's shared
 * pending set (signals sent with {@code kill()}), sending, forcing (faults), and the state the
 * delivery step ({@link SignalDelivery}) and the syscalls ({@code rt_sigaction}, {@code
 * rt_sigprocmask}, {@code rt_sigreturn}, {@code kill}, {@code tgkill}) work on.
 *
 * <p><b>Sending</b> ({@code send_signal_locked()} and {@code complete_signal()}): a signal whose
 * action ignores it and that the target does not block is dropped ({@code sig_ignored()}); a
 * signal already pending is not queued twice. Then a thread that does not block it is chosen (the
 * addressed thread, else for a process-directed signal the first live thread in creation order);
 * if none, the signal stays pending until a thread unblocks it. If the chosen thread exists and the
 * signal is SIGKILL or its action is the default and the default is fatal, the whole process is
 * killed at once, as {@code complete_signal()} starts a group exit; otherwise {@link
 * TaskWork#SIGPENDING} is set on the chosen thread and {@link SignalWakeup} is called.
 *
 * <p><b>Forcing</b> ({@code force_sig_info_to_task()}): a fault signal that the task blocks or
 * ignores has its action reset to the default and is unblocked, so it kills; it is queued on the
 * task itself and acted on by the delivery step of the return to user that follows the fault
 * (where a fatal one kills with a reason naming the signal, the task, the faulting address and the
 * RIP).
 *
 * <p><b>Lifecycle.</b> {@link #onClone}: a thread shares its process's table and copies the
 * creator's blocked mask; a forked child gets a copy of the table and of the blocked mask and an
 * empty pending set ({@code copy_sighand()}, {@code copy_process()}). {@link #onExec}: handlers
 * reset to the default except ignored ones ({@code flush_signal_handlers()}); the blocked mask and
 * pending signals survive. {@link #onExit} drops the task's state.
 *
 * <p><b>Caveats:</b> real-time signals are not queued more than once (the pending set is a bit
 * mask, as for standard signals); job control (stop/continue) is not modelled, so a stop signal's
 * default action is counted and ignored; sigaltstack and {@code SA_ONSTACK}, syscall restart
 * ({@code SA_RESTART}, {@code -ERESTARTSYS}) and process groups (each process is its own group) are
 * not modelled; every process runs as uid 0, so permission checks always pass. Not thread-safe.
 */
public final class Signals {
  /** Initial capacity of the per-tid and per-pid arrays; they double as higher ids appear. */
  private static final int INITIAL = 64;
  /** Per-signal arrays are indexed by signal number 1..64; slot 0 is unused. */
  private static final int SLOTS = SignalNumbers.NSIG + 1;

  /** The {@code sighand} of one process: {@code struct k_sigaction} for signals 1..64. */
  private static final class Sighand {
    final long[] handler = new long[SLOTS];
    final long[] flags = new long[SLOTS];
    final long[] restorer = new long[SLOTS];
    final long[] mask = new long[SLOTS];
    long sharedPending;
    final SigInfo[] sharedInfo = new SigInfo[SLOTS];

    Sighand copy() {
      Sighand c = new Sighand();
      System.arraycopy(handler, 0, c.handler, 0, SLOTS);
      System.arraycopy(flags, 0, c.flags, 0, SLOTS);
      System.arraycopy(restorer, 0, c.restorer, 0, SLOTS);
      System.arraycopy(mask, 0, c.mask, 0, SLOTS);
      return c;
    }
  }

  private final KernelServices kernel;
  private final SignalWakeup wakeup;
  private final long deliveryCycles;
  private final List<SignalDeliveryHook> hooks = new ArrayList<>();
  private final SignalDelivery delivery;

  private Sighand[] sighand = new Sighand[INITIAL];
  private int[] processGroup = new int[INITIAL];
  private long[] blocked = new long[INITIAL];
  private long[] pending = new long[INITIAL];
  private SigInfo[][] pendingInfo = new SigInfo[INITIAL][];

  private final long[] deliveries = new long[SLOTS];
  private final long[] fatal = new long[SLOTS];
  private final long[] ignored = new long[SLOTS];
  private final long[] sent = new long[SLOTS];
  private final SigInfo scratch = new SigInfo();

  /**
   * A signal subsystem.
   *
   * @param deliveryCycles cycles charged under {@code RETURN_TO_USER} for each handler invocation
   *     (dequeue, frame setup and register switch in {@code handle_signal()}); a profile figure the
   *     machine passes in
   */
  public Signals(KernelServices kernel, SignalWakeup wakeup, long deliveryCycles) {
    if (deliveryCycles < 0) {
      throw new IllegalArgumentException("negative delivery cost");
    }
    this.kernel = Objects.requireNonNull(kernel);
    this.wakeup = Objects.requireNonNull(wakeup);
    this.deliveryCycles = deliveryCycles;
    this.delivery = new SignalDelivery(this);
  }

  /**
   * Builds the subsystem and wires it into a machine: {@code rt_sigaction} (13), {@code
   * rt_sigprocmask} (14), {@code rt_sigreturn} (15), {@code kill} (62) and {@code tgkill} (234) in
   * {@code table}, and {@link SignalDelivery} at {@link ReturnToUser.Stage#SIGNAL_DELIVERY}.
   */
  public static Signals install(SyscallTable table, ReturnToUser returnToUser,
      KernelServices kernel, SignalWakeup wakeup, long deliveryCycles) {
    Signals s = new Signals(kernel, wakeup, deliveryCycles);
    table.register(SyscallNumbers.RT_SIGACTION, "rt_sigaction", new RtSigactionSyscall(s));
    table.register(SyscallNumbers.RT_SIGPROCMASK, "rt_sigprocmask", new RtSigprocmaskSyscall(s));
    table.register(SyscallNumbers.RT_SIGRETURN, "rt_sigreturn", new RtSigreturnSyscall(s));
    table.register(SyscallNumbers.KILL, "kill", new KillSyscall(s));
    table.register(SyscallNumbers.TGKILL, "tgkill", new TgkillSyscall(s));
    returnToUser.install(ReturnToUser.Stage.SIGNAL_DELIVERY, s.delivery);
    return s;
  }

  /** Adds work to run before each handler frame is built (rseq's {@code rseq_signal_deliver}). */
  public void addDeliveryHook(SignalDeliveryHook hook) {
    hooks.add(Objects.requireNonNull(hook));
  }

  List<SignalDeliveryHook> hooks() {
    return Collections.unmodifiableList(hooks);
  }

  /** The delivery step. */
  public SignalDelivery delivery() {
    return delivery;
  }

  KernelServices kernel() {
    return kernel;
  }

  long deliveryCycles() {
    return deliveryCycles;
  }

  // ------------------------------------------------------------------ sigaction table

  private Sighand sighand(Process p) {
    int pid = p.pid();
    if (pid >= sighand.length) {
      sighand = Arrays.copyOf(sighand, Math.max(pid + 1, sighand.length * 2));
    }
    Sighand h = sighand[pid];
    if (h == null) {
      h = new Sighand();
      sighand[pid] = h;
    }
    return h;
  }

  /** {@code sa_handler} of {@code sig} in {@code process} ({@link SignalNumbers#SIG_DFL} = 0). */
  public long handler(Process process, int sig) {
    return sighand(process).handler[sig];
  }

  /** {@code sa_flags} of {@code sig}. */
  public long flags(Process process, int sig) {
    return sighand(process).flags[sig];
  }

  /** {@code sa_restorer} of {@code sig}. */
  public long restorer(Process process, int sig) {
    return sighand(process).restorer[sig];
  }

  /** {@code sa_mask} of {@code sig}. */
  public long mask(Process process, int sig) {
    return sighand(process).mask[sig];
  }

  /**
   * {@code do_sigaction()} after the argument checks: installs the action (SIGKILL and SIGSTOP are
   * removed from its mask) and, if it now ignores the signal, discards the signal from every
   * pending set of the process (POSIX 3.3.1.3).
   */
  void setAction(Process process, int sig, long handler, long flags, long restorer, long mask) {
    Sighand h = sighand(process);
    h.handler[sig] = handler;
    h.flags[sig] = flags;
    h.restorer[sig] = restorer;
    h.mask[sig] = mask & ~SignalNumbers.KERNEL_ONLY_MASK;
    if (ignores(process, sig)) {
      long bit = SignalNumbers.bit(sig);
      h.sharedPending &= ~bit;
      for (Task t : process.threads()) {
        if (t.tid() < pending.length) {
          pending[t.tid()] &= ~bit;
        }
        recalc(t);
      }
    }
  }

  /** {@code sig_handler_ignored()}: SIG_IGN, or SIG_DFL with a default action of "ignore". */
  boolean ignores(Process process, int sig) {
    long h = handler(process, sig);
    return h == SignalNumbers.SIG_IGN
        || (h == SignalNumbers.SIG_DFL
            && SignalNumbers.defaultAction(sig) == SignalNumbers.DefaultAction.IGNORE);
  }

  /** {@code sig_fatal()}: the action is the default and the default ends the process. */
  boolean fatalByDefault(Process process, int sig) {
    return handler(process, sig) == SignalNumbers.SIG_DFL && SignalNumbers.defaultIsFatal(sig);
  }

  // ------------------------------------------------------------------ per-task state

  private void ensure(int tid) {
    if (tid < blocked.length) {
      return;
    }
    int n = Math.max(tid + 1, blocked.length * 2);
    blocked = Arrays.copyOf(blocked, n);
    pending = Arrays.copyOf(pending, n);
    pendingInfo = Arrays.copyOf(pendingInfo, n);
  }

  /** The task's blocked mask. */
  public long blocked(int tid) {
    return tid < blocked.length ? blocked[tid] : 0;
  }

  /** The task's private pending set. */
  public long pending(int tid) {
    return tid < pending.length ? pending[tid] : 0;
  }

  /** The process's shared pending set (process-directed signals). */
  public long sharedPending(Process process) {
    return sighand(process).sharedPending;
  }

  /** {@code set_current_blocked()}: SIGKILL and SIGSTOP cannot be blocked. */
  public void setBlocked(Task task, long mask) {
    ensure(task.tid());
    blocked[task.tid()] = mask & ~SignalNumbers.KERNEL_ONLY_MASK;
    recalc(task);
  }

  /** Signals pending for {@code task} (private or shared) that it does not block. */
  public long deliverable(Task task) {
    int tid = task.tid();
    return (pending(tid) | sharedPending(task.process())) & ~blocked(tid);
  }

  /** {@code recalc_sigpending()}: {@link TaskWork#SIGPENDING} iff a deliverable signal exists. */
  public void recalc(Task task) {
    if (deliverable(task) != 0) {
      task.setWork(TaskWork.SIGPENDING);
    } else {
      task.clearWork(TaskWork.SIGPENDING);
    }
  }

  private SigInfo infoSlot(int tid, int sig) {
    ensure(tid);
    SigInfo[] infos = pendingInfo[tid];
    if (infos == null) {
      infos = new SigInfo[SLOTS];
      pendingInfo[tid] = infos;
    }
    if (infos[sig] == null) {
      infos[sig] = new SigInfo();
    }
    return infos[sig];
  }

  private static SigInfo sharedSlot(Sighand h, int sig) {
    if (h.sharedInfo[sig] == null) {
      h.sharedInfo[sig] = new SigInfo();
    }
    return h.sharedInfo[sig];
  }

  // ------------------------------------------------------------------ sending

  /**
   * {@code group_send_sig_info()}: sends {@code info.signo} to the process of {@code target}
   * ({@code kill()}); {@code target} is the thread the pid named, preferred as the recipient.
   */
  public void sendToProcess(Task target, SigInfo info) {
    send(target, info, true);
  }

  /** {@code do_send_specific()}: sends {@code info.signo} to thread {@code target} ({@code tgkill()}). */
  public void sendToThread(Task target, SigInfo info) {
    send(target, info, false);
  }

  private void send(Task target, SigInfo info, boolean group) {
    int sig = info.signo;
    Process process = target.process();
    if (process.hasExited() || (target.hasExited() && !group)) {
      return;
    }
    sent[sig]++;
    long bit = SignalNumbers.bit(sig);
    // prepare_signal() / sig_ignored(): blocked signals are never ignored at send time.
    if (sig != SignalNumbers.SIGKILL && ignores(process, sig)
        && (blocked(target.tid()) & bit) == 0) {
      ignored[sig]++;
      kernel.count("signal.ignored", 1);
      return;
    }
    Sighand h = sighand(process);
    if (group) {
      if ((h.sharedPending & bit) == 0) {
        h.sharedPending |= bit;
        sharedSlot(h, sig).copyFrom(info);
      }
    } else {
      ensure(target.tid());
      if ((pending[target.tid()] & bit) == 0) {
        pending[target.tid()] |= bit;
        infoSlot(target.tid(), sig).copyFrom(info);
      }
    }
    // complete_signal(): find a thread that wants the signal.
    Task chosen = null;
    if (!target.hasExited() && (blocked(target.tid()) & bit) == 0) {
      chosen = target;
    } else if (group) {
      for (Task t : process.threads()) {
        if (!t.hasExited() && (blocked(t.tid()) & bit) == 0) {
          chosen = t;
          break;
        }
      }
    }
    if (chosen == null) {
      return;
    }
    if (sig == SignalNumbers.SIGKILL || fatalByDefault(process, sig)) {
      killFatal(process, sig, String.format(Locale.ROOT, "%s sent by pid %d to %s",
          SignalNumbers.name(sig), info.pid, target));
      return;
    }
    chosen.setWork(TaskWork.SIGPENDING);
    wakeup.signalWakeUp(chosen);
  }

  /**
   * {@code force_sig_fault()} / {@code force_sig_info_to_task()}: queues the fault signal {@code
   * sig} on {@code task} (the current task, about to return to user through the pipeline); if the
   * task blocks or ignores it, the action is reset to the default and the signal unblocked so that
   * it kills.
   *
   * @param code the {@code si_code} ({@code SEGV_MAPERR}, {@code SI_KERNEL}...)
   * @param address {@code si_addr}
   */
  public void forceSignal(Task task, int sig, int code, long address) {
    force(task, scratch.fault(sig, code, address, SigInfo.NO_TRAP, 0));
  }

  /**
   * {@code forceSignal} for a CPU exception, as arch/x86/kernel/traps.c and arch/x86/mm/fault.c
   * map them: #PF → SIGSEGV with {@code SEGV_MAPERR} (page not mapped) or {@code SEGV_ACCERR}
   * (permissions), {@code si_addr} the faulting address, trap 14 and the page-fault error code;
   * #GP → SIGSEGV, {@code SI_KERNEL}, {@code si_addr} 0, trap 13; #UD → SIGILL, {@code ILL_ILLOPN},
   * {@code si_addr} the RIP, trap 6; #DE → SIGFPE, {@code FPE_INTDIV}, {@code si_addr} the RIP,
   * trap 0.
   */
  public void forceTrap(Task task, Trap trap) {
    switch (trap.kind()) {
      case PAGE_FAULT: {
        boolean protection = trap.memoryFault() != MemoryFault.NOT_MAPPED;
        long error = (protection ? PF_PROT : 0)
            | (trap.access() == org.vcpusim.cpu.mem.AccessKind.WRITE ? PF_WRITE : 0)
            | PF_USER
            | (trap.access() == org.vcpusim.cpu.mem.AccessKind.EXECUTE ? PF_INSTR : 0);
        force(task, scratch.fault(SignalNumbers.SIGSEGV,
            protection ? SignalNumbers.SEGV_ACCERR : SignalNumbers.SEGV_MAPERR, trap.address(),
            TRAP_PF, error));
        break;
      }
      case GENERAL_PROTECTION:
        force(task, scratch.fault(SignalNumbers.SIGSEGV, SignalNumbers.SI_KERNEL, 0, TRAP_GP, 0));
        break;
      case INVALID_OPCODE:
        force(task, scratch.fault(SignalNumbers.SIGILL, SignalNumbers.ILL_ILLOPN, trap.rip(),
            TRAP_UD, 0));
        break;
      case DIVIDE_ERROR:
        force(task, scratch.fault(SignalNumbers.SIGFPE, SignalNumbers.FPE_INTDIV, trap.rip(),
            TRAP_DE, 0));
        break;
      default:
        throw new IllegalArgumentException("trap " + trap);
    }
  }

  /** x86 vector of #PF. */
  static final int TRAP_PF = 14;
  /** x86 vector of #GP. */
  static final int TRAP_GP = 13;
  /** x86 vector of #UD. */
  static final int TRAP_UD = 6;
  /** x86 vector of #DE. */
  static final int TRAP_DE = 0;
  /** {@code X86_PF_PROT}: the page was present (a protection fault). */
  static final long PF_PROT = 1;
  /** {@code X86_PF_WRITE}. */
  static final long PF_WRITE = 1 << 1;
  /** {@code X86_PF_USER}. */
  static final long PF_USER = 1 << 2;
  /** {@code X86_PF_INSTR}: an instruction fetch. */
  static final long PF_INSTR = 1 << 4;

  private void force(Task task, SigInfo info) {
    int sig = info.signo;
    int tid = task.tid();
    ensure(tid);
    long bit = SignalNumbers.bit(sig);
    Sighand h = sighand(task.process());
    boolean blockedNow = (blocked[tid] & bit) != 0;
    if (h.handler[sig] == SignalNumbers.SIG_IGN || blockedNow) {
      h.handler[sig] = SignalNumbers.SIG_DFL;
      if (blockedNow) {
        blocked[tid] &= ~bit;
      }
    }
    sent[sig]++;
    if ((pending[tid] & bit) == 0) {
      pending[tid] |= bit;
      infoSlot(tid, sig).copyFrom(info);
    }
    task.setWork(TaskWork.SIGPENDING);
  }

  /**
   * Dequeues the next deliverable signal of {@code task} into {@code out}: the private set before
   * the shared one, and in each the synchronous (fault) signals first, then the lowest number
   * ({@code dequeue_synchronous_signal()}, {@code next_signal()}).
   *
   * @return the signal, or 0 when none is deliverable
   */
  int dequeue(Task task, SigInfo out) {
    int tid = task.tid();
    ensure(tid);
    long mask = ~blocked[tid];
    int sig = next(pending[tid] & mask);
    if (sig != 0) {
      pending[tid] &= ~SignalNumbers.bit(sig);
      out.copyFrom(infoSlot(tid, sig));
      return sig;
    }
    Sighand h = sighand(task.process());
    sig = next(h.sharedPending & mask);
    if (sig != 0) {
      h.sharedPending &= ~SignalNumbers.bit(sig);
      out.copyFrom(sharedSlot(h, sig));
    }
    return sig;
  }

  private static int next(long set) {
    if (set == 0) {
      return 0;
    }
    long sync = set & SignalNumbers.SYNCHRONOUS_MASK;
    long pick = sync != 0 ? sync : set;
    return Long.numberOfTrailingZeros(pick) + 1;
  }

  /** SA_RESETHAND: the action goes back to the default when the handler is entered. */
  void resetHandler(Process process, int sig) {
    Sighand h = sighand(process);
    h.handler[sig] = SignalNumbers.SIG_DFL;
  }

  /** Kills {@code process} for a fatal signal, counting it. */
  void killFatal(Process process, int sig, String reason) {
    fatal[sig]++;
    kernel.count("signal.fatal", 1);
    kernel.killProcess(process, sig, reason);
  }

  void countDelivery(int sig) {
    deliveries[sig]++;
    kernel.count("signal.delivered", 1);
  }

  void countIgnored(int sig) {
    ignored[sig]++;
    kernel.count("signal.ignored", 1);
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * {@code child} was created by {@code parent}: a thread ({@code newProcess} false) shares the
   * table; a new process gets a copy of it. The child inherits the blocked mask, with nothing
   * pending.
   */
  public void onClone(Task parent, Task child, boolean newProcess) {
    int c = child.tid();
    ensure(Math.max(c, parent.tid()));
    blocked[c] = blocked[parent.tid()];
    pending[c] = 0;
    pendingInfo[c] = null;
    child.clearWork(TaskWork.SIGPENDING);
    if (newProcess) {
      Process cp = child.process();
      int pid = cp.pid();
      if (pid >= sighand.length) {
        sighand = Arrays.copyOf(sighand, Math.max(pid + 1, sighand.length * 2));
      }
      sighand[pid] = sighand(parent.process()).copy();
      if (pid >= processGroup.length) {
        processGroup = Arrays.copyOf(processGroup, Math.max(pid + 1, processGroup.length * 2));
      }
      processGroup[pid] = processGroup(parent.process());
    }
  }

  /**
   * The process group of {@code process}: a forked child is in its parent's group ({@code
   * copy_process()}); a process created otherwise leads its own group (pgid = pid). {@code
   * setpgid()} is not modelled.
   */
  public int processGroup(Process process) {
    int pid = process.pid();
    return pid < processGroup.length && processGroup[pid] != 0 ? processGroup[pid] : pid;
  }

  /** {@code flush_signal_handlers(t, 0)}: after exec, caught signals go back to the default. */
  public void onExec(Task task) {
    Sighand h = sighand(task.process());
    for (int sig = 1; sig < SLOTS; sig++) {
      if (h.handler[sig] != SignalNumbers.SIG_IGN) {
        h.handler[sig] = SignalNumbers.SIG_DFL;
      }
      h.flags[sig] = 0;
      h.restorer[sig] = 0;
      h.mask[sig] = 0;
    }
  }

  /** The task exited: its mask and pending set are dropped. */
  public void onExit(Task task) {
    int tid = task.tid();
    if (tid < blocked.length) {
      blocked[tid] = 0;
      pending[tid] = 0;
      pendingInfo[tid] = null;
    }
  }

  // ------------------------------------------------------------------ counters

  /** Handler invocations of {@code sig} (frames built). */
  public long deliveries(int sig) {
    return deliveries[sig];
  }

  /** Every handler invocation. */
  public long totalDeliveries() {
    long n = 0;
    for (long d : deliveries) {
      n += d;
    }
    return n;
  }

  /** Processes killed by {@code sig} (default action or frame failure). */
  public long fatal(int sig) {
    return fatal[sig];
  }

  /** Instances of {@code sig} discarded because they were ignored. */
  public long ignored(int sig) {
    return ignored[sig];
  }

  /** Instances of {@code sig} sent or forced. */
  public long sent(int sig) {
    return sent[sig];
  }
}
