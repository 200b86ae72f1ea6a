package org.vcpusim.kernel.signal;

import java.util.Locale;

/**
 * What the kernel knows about one pending signal instance, the parts of {@code siginfo_t} the
 * simulator fills, plus the trap state a fault leaves in the task ({@code thread.trap_nr}, {@code
 * error_code}, {@code cr2}) that the signal frame's {@code sigcontext} reports.
 *
 * <p><b>Caveats:</b> mutable, reused; copy with {@link #copyFrom} to keep one.
 */
public final class SigInfo {
  /** No trap: {@link #trapNo} of a signal that no exception raised. */
  public static final int NO_TRAP = -1;

  /** {@code si_signo}. */
  public int signo;
  /** {@code si_code}: {@code SI_USER}, {@code SI_TKILL}, {@code SI_KERNEL} or a fault code. */
  public int code;
  /** {@code si_addr} of a fault signal (0 otherwise). */
  public long addr;
  /** {@code si_pid} of a signal sent by kill/tgkill (the sender's thread-group id). */
  public int pid;
  /** {@code si_uid} of a sent signal; users are not modelled, every process runs as uid 0. */
  public int uid;
  /** The exception vector behind a fault signal (14 #PF, 13 #GP, 6 #UD, 0 #DE) or {@link #NO_TRAP}. */
  public int trapNo = NO_TRAP;
  /** The page-fault error code (x86 {@code X86_PF_*} bits) of a #PF, else 0. */
  public long errorCode;

  /** Sets every field from {@code other}. */
  public SigInfo copyFrom(SigInfo other) {
    signo = other.signo;
    code = other.code;
    addr = other.addr;
    pid = other.pid;
    uid = other.uid;
    trapNo = other.trapNo;
    errorCode = other.errorCode;
    return this;
  }

  /** Fills the fields of a signal sent by a task ({@code kill()} or {@code tgkill()}). */
  public SigInfo sent(int sig, int siCode, int senderPid) {
    signo = sig;
    code = siCode;
    addr = 0;
    pid = senderPid;
    uid = 0;
    trapNo = NO_TRAP;
    errorCode = 0;
    return this;
  }

  /** Fills the fields of a fault signal. */
  public SigInfo fault(int sig, int siCode, long address, int trap, long error) {
    signo = sig;
    code = siCode;
    addr = address;
    pid = 0;
    uid = 0;
    trapNo = trap;
    errorCode = error;
    return this;
  }

  /**
   * True when the siginfo uses the {@code _sigfault} layout ({@code si_addr}) rather than {@code
   * _kill} ({@code si_pid}, {@code si_uid}): a kernel-generated code ({@code si_code > 0}) of one of
   * the fault signals ({@code siginfo_layout()}, kernel/signal.c).
   */
  public boolean isFault() {
    return code > 0
        && (signo == SignalNumbers.SIGSEGV || signo == SignalNumbers.SIGBUS
            || signo == SignalNumbers.SIGILL || signo == SignalNumbers.SIGFPE
            || signo == SignalNumbers.SIGTRAP);
  }

  @Override
  public String toString() {
    if (isFault()) {
      return String.format(Locale.ROOT, "%s code %d addr %#x trap %d", SignalNumbers.name(signo),
          code, addr, trapNo);
    }
    return String.format(Locale.ROOT, "%s code %d from pid %d", SignalNumbers.name(signo), code,
        pid);
  }
}
