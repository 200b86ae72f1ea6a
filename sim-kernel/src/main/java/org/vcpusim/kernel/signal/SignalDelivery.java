package org.vcpusim.kernel.signal;

import java.util.List;
import java.util.Locale;
import org.vcpusim.cpu.exec.ThreadContext;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.entry.ReturnToUser;
import org.vcpusim.kernel.syscall.UserAccess;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.task.TaskWork;

/**
 * The return-to-user step at {@link ReturnToUser.Stage#SIGNAL_DELIVERY}: {@code
 * arch_do_signal_or_restart()} → {@code get_signal()} → {@code handle_signal()} (kernel/signal.c,
 * arch/x86/kernel/signal.c, arch/x86/kernel/signal_64.c).
 *
 * <p>When the task has {@link TaskWork#SIGPENDING}, it dequeues deliverable signals one by one
 * ({@link Signals#dequeue}) until none is left, as {@code exit_to_user_mode_loop()} repeats while
 * the flag stays set (so several handlers can be entered, each frame on top of the previous):
 *
 * <ul>
 *   <li>{@code SIG_IGN}, or {@code SIG_DFL} with a default action of ignore (or stop, which is not
 *       modelled): discarded and counted.
 *   <li>{@code SIG_DFL} with a fatal default: the process is killed with a reason naming the
 *       signal, its code, the task, the RIP and, for a fault, the faulting address; the pass stops.
 *   <li>a handler: the action is reset first if {@code SA_RESETHAND}; the delivery hooks run
 *       (rseq's {@code rseq_signal_deliver()}, which may move the IP to an abort handler); the
 *       frame is built ({@link SigFrame}) — {@code SA_RESTORER} is required, as on x86-64, and a
 *       missing restorer or an unwritable stack forces SIGSEGV ({@code force_sigsegv()}: fatal if
 *       the signal being delivered was SIGSEGV); then RDI = sig, RSI = &amp;frame.info, RDX =
 *       &amp;frame.uc, RAX = 0, RIP = handler, RSP = frame, and the blocked mask gains {@code
 *       sa_mask} and, unless {@code SA_NODEFER}, the signal ({@code signal_delivered()}).
 * </ul>
 *
 * <p>Cost: {@link Signals}' delivery cost under {@link CostCategory#RETURN_TO_USER} per handler
 * invocation; counters {@code signal.delivered}, {@code signal.ignored}, {@code signal.fatal}.
 *
 * <p><b>Caveats:</b> not thread-safe.
 */
public final class SignalDelivery implements ReturnToUser.Step {
  private final Signals signals;
  private final SigInfo info = new SigInfo();
  private final SigFrame frame = new SigFrame();

  SignalDelivery(Signals signals) {
    this.signals = signals;
  }

  @Override
  public String name() {
    return "signal_delivery";
  }

  @Override
  public void run(ExitToUser exit) {
    Task task = exit.task();
    if (!task.hasWork(TaskWork.SIGPENDING)) {
      return;
    }
    Process process = task.process();
    for (int sig = signals.dequeue(task, info); sig != 0; sig = signals.dequeue(task, info)) {
      long handler = signals.handler(process, sig);
      if (handler == SignalNumbers.SIG_IGN) {
        signals.countIgnored(sig);
        continue;
      }
      if (handler == SignalNumbers.SIG_DFL) {
        if (!SignalNumbers.defaultIsFatal(sig)) {
          signals.countIgnored(sig);
          continue;
        }
        signals.killFatal(process, sig, describe(task, sig));
        exit.kill();
        return;
      }
      if (!handle(exit, sig, handler)) {
        return;
      }
    }
    signals.recalc(task);
  }

  /**
   * {@code handle_signal()} for a caught signal.
   *
   * @return false when the task was killed
   */
  private boolean handle(ExitToUser exit, int sig, long handler) {
    Task task = exit.task();
    Process process = task.process();
    long flags = signals.flags(process, sig);
    long restorer = signals.restorer(process, sig);
    long actionMask = signals.mask(process, sig);
    if ((flags & SignalNumbers.SA_RESETHAND) != 0) {
      signals.resetHandler(process, sig);
    }
    List<SignalDeliveryHook> hooks = signals.hooks();
    for (int i = 0; i < hooks.size(); i++) {
      hooks.get(i).beforeSignalFrame(exit, sig);
      if (exit.killed()) {
        return false;
      }
    }
    ThreadContext ctx = task.context();
    long oldBlocked = signals.blocked(task.tid());
    long address = SigFrame.frameAddress(ctx.get(Registers.RSP));
    boolean written = (flags & SignalNumbers.SA_RESTORER) != 0
        && UserAccess.accessOk(address, SigFrame.SIZE)
        && frame.write(process.addressSpace(), address, ctx, restorer, oldBlocked, info,
            (flags & SignalNumbers.SA_SIGINFO) != 0);
    if (!written) {
      return frameFailed(exit, sig, address, (flags & SignalNumbers.SA_RESTORER) == 0);
    }
    ctx.set(Registers.RDI, sig);
    ctx.set(Registers.RAX, 0);
    ctx.set(Registers.RSI, address + SigFrame.INFO);
    ctx.set(Registers.RDX, address + SigFrame.UC);
    ctx.setRip(handler);
    ctx.set(Registers.RSP, address);
    long newBlocked = oldBlocked | actionMask;
    if ((flags & SignalNumbers.SA_NODEFER) == 0) {
      newBlocked |= SignalNumbers.bit(sig);
    }
    signals.setBlocked(task, newBlocked);
    signals.countDelivery(sig);
    signals.kernel().charge(exit.cpu(), signals.deliveryCycles(), CostCategory.RETURN_TO_USER);
    return true;
  }

  /** {@code signal_setup_done(failed)} → {@code force_sigsegv(sig)}. */
  private boolean frameFailed(ExitToUser exit, int sig, long address, boolean noRestorer) {
    Task task = exit.task();
    String why = noRestorer
        ? "the action has no SA_RESTORER (required on x86-64)"
        : String.format(Locale.ROOT, "the signal frame at %#x is not writable", address);
    if (sig == SignalNumbers.SIGSEGV) {
      signals.killFatal(task.process(), SignalNumbers.SIGSEGV, String.format(Locale.ROOT,
          "SIGSEGV: cannot deliver SIGSEGV to %s at rip=%#x: %s", task, task.context().rip(),
          why));
      exit.kill();
      return false;
    }
    signals.kernel().count("signal.frame_failed", 1);
    if (signals.fatalByDefault(task.process(), SignalNumbers.SIGSEGV)
        || signals.handler(task.process(), SignalNumbers.SIGSEGV) == SignalNumbers.SIG_IGN
        || (signals.blocked(task.tid()) & SignalNumbers.bit(SignalNumbers.SIGSEGV)) != 0) {
      // force_sig(SIGSEGV) with no usable handler: the forced signal is fatal.
      signals.killFatal(task.process(), SignalNumbers.SIGSEGV, String.format(Locale.ROOT,
          "SIGSEGV: cannot deliver %s to %s at rip=%#x: %s", SignalNumbers.name(sig), task,
          task.context().rip(), why));
      exit.kill();
      return false;
    }
    signals.forceSignal(task, SignalNumbers.SIGSEGV, SignalNumbers.SI_KERNEL, 0);
    return true;
  }

  private String describe(Task task, int sig) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s (si_code %d) killed %s at rip=%#x",
        SignalNumbers.name(sig), info.code, task, task.context().rip()));
    if (info.isFault()) {
      sb.append(String.format(Locale.ROOT, ", fault address %#x", info.addr));
      if (info.trapNo != SigInfo.NO_TRAP) {
        sb.append(String.format(Locale.ROOT, " (trap %d)", info.trapNo));
      }
    } else if (info.code > 0) {
      sb.append(", raised by the kernel");
    } else {
      sb.append(String.format(Locale.ROOT, ", sent by pid %d", info.pid));
    }
    return sb.toString();
  }
}
