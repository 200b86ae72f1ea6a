package org.vcpusim.kernel.signal;

/**
 * x86-64 signal numbers, {@code sigaction} flags and {@code si_code} values
 * (arch/x86/include/uapi/asm/signal.h, include/uapi/asm-generic/signal-defs.h,
 * include/uapi/asm-generic/siginfo.h), and each signal's default action (the table in the
 * comment above {@code SIG_KERNEL_ONLY_MASK}, include/linux/signal.h).
 *
 * <p>Signal sets are {@code long} bit masks with signal {@code n} at bit {@code n - 1}, the layout
 * of the kernel's 64-bit {@code sigset_t} on x86-64.
 */
public final class SignalNumbers {
  public static final int SIGHUP = 1;
  public static final int SIGINT = 2;
  public static final int SIGQUIT = 3;
  public static final int SIGILL = 4;
  public static final int SIGTRAP = 5;
  public static final int SIGABRT = 6;
  public static final int SIGBUS = 7;
  public static final int SIGFPE = 8;
  public static final int SIGKILL = 9;
  public static final int SIGUSR1 = 10;
  public static final int SIGSEGV = 11;
  public static final int SIGUSR2 = 12;
  public static final int SIGPIPE = 13;
  public static final int SIGALRM = 14;
  public static final int SIGTERM = 15;
  public static final int SIGSTKFLT = 16;
  public static final int SIGCHLD = 17;
  public static final int SIGCONT = 18;
  public static final int SIGSTOP = 19;
  public static final int SIGTSTP = 20;
  public static final int SIGTTIN = 21;
  public static final int SIGTTOU = 22;
  public static final int SIGURG = 23;
  public static final int SIGXCPU = 24;
  public static final int SIGXFSZ = 25;
  public static final int SIGVTALRM = 26;
  public static final int SIGPROF = 27;
  public static final int SIGWINCH = 28;
  public static final int SIGIO = 29;
  public static final int SIGPWR = 30;
  public static final int SIGSYS = 31;
  /** First real-time signal as the kernel numbers them ({@code SIGRTMIN}). */
  public static final int SIGRTMIN = 32;
  /** {@code _NSIG}: the highest signal number. */
  public static final int NSIG = 64;

  /** {@code sizeof(sigset_t)} on x86-64: the only {@code sigsetsize} the rt_sig* calls accept. */
  public static final int SIGSET_SIZE = 8;

  /** {@code SIG_DFL}: the default action. */
  public static final long SIG_DFL = 0;
  /** {@code SIG_IGN}: ignore the signal. */
  public static final long SIG_IGN = 1;

  /** {@code SA_NOCLDSTOP}. */
  public static final long SA_NOCLDSTOP = 0x00000001L;
  /** {@code SA_NOCLDWAIT}. */
  public static final long SA_NOCLDWAIT = 0x00000002L;
  /** {@code SA_SIGINFO}: the handler takes (sig, siginfo, ucontext); siginfo is copied out. */
  public static final long SA_SIGINFO = 0x00000004L;
  /** {@code SA_RESTORER}: {@code sa_restorer} holds the return trampoline (required on x86-64). */
  public static final long SA_RESTORER = 0x04000000L;
  /** {@code SA_ONSTACK}: run on the alternate stack (sigaltstack is not modelled). */
  public static final long SA_ONSTACK = 0x08000000L;
  /** {@code SA_RESTART}: restart interrupted syscalls (syscall restart is not modelled). */
  public static final long SA_RESTART = 0x10000000L;
  /** {@code SA_NODEFER}: do not block the signal while its handler runs. */
  public static final long SA_NODEFER = 0x40000000L;
  /** {@code SA_RESETHAND}: reset the action to SIG_DFL when the handler is entered. */
  public static final long SA_RESETHAND = 0x80000000L;

  /** {@code SIG_BLOCK} for rt_sigprocmask. */
  public static final int SIG_BLOCK = 0;
  /** {@code SIG_UNBLOCK}. */
  public static final int SIG_UNBLOCK = 1;
  /** {@code SIG_SETMASK}. */
  public static final int SIG_SETMASK = 2;

  /** {@code SI_USER}: sent by kill(). */
  public static final int SI_USER = 0;
  /** {@code SI_KERNEL}: sent by the kernel (x86 uses it for #GP). */
  public static final int SI_KERNEL = 0x80;
  /** {@code SI_TKILL}: sent by tkill()/tgkill(). */
  public static final int SI_TKILL = -6;
  /** {@code SEGV_MAPERR}: address not mapped. */
  public static final int SEGV_MAPERR = 1;
  /** {@code SEGV_ACCERR}: invalid permissions for a mapped page. */
  public static final int SEGV_ACCERR = 2;
  /** {@code ILL_ILLOPN}: illegal operand (what x86's #UD handler reports). */
  public static final int ILL_ILLOPN = 2;
  /** {@code FPE_INTDIV}: integer divide by zero. */
  public static final int FPE_INTDIV = 1;

  /** {@code SIG_KERNEL_ONLY_MASK}: SIGKILL and SIGSTOP can be neither caught, blocked nor ignored. */
  public static final long KERNEL_ONLY_MASK = bit(SIGKILL) | bit(SIGSTOP);
  /**
   * {@code SYNCHRONOUS_MASK} (kernel/signal.c): fault signals, dequeued before any other pending
   * signal so that a handler sees the fault that caused it.
   */
  public static final long SYNCHRONOUS_MASK =
      bit(SIGSEGV) | bit(SIGBUS) | bit(SIGILL) | bit(SIGTRAP) | bit(SIGFPE) | bit(SIGSYS);
  /** {@code SIG_KERNEL_IGNORE_MASK}: default action "ignore". */
  public static final long DEFAULT_IGNORE_MASK =
      bit(SIGCONT) | bit(SIGCHLD) | bit(SIGWINCH) | bit(SIGURG);
  /** {@code SIG_KERNEL_STOP_MASK}: default action "stop" (job control is not modelled). */
  public static final long DEFAULT_STOP_MASK =
      bit(SIGSTOP) | bit(SIGTSTP) | bit(SIGTTIN) | bit(SIGTTOU);
  /** {@code SIG_KERNEL_COREDUMP_MASK}: default action "terminate with a core dump". */
  public static final long DEFAULT_COREDUMP_MASK =
      bit(SIGQUIT) | bit(SIGILL) | bit(SIGTRAP) | bit(SIGABRT) | bit(SIGFPE) | bit(SIGSEGV)
          | bit(SIGBUS) | bit(SIGSYS) | bit(SIGXCPU) | bit(SIGXFSZ);

  private static final String[] NAMES = {
    null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
    "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
    "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
    "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"
  };

  /** What the kernel does with a signal whose handler is {@code SIG_DFL}. */
  public enum DefaultAction {
    TERMINATE,
    COREDUMP,
    IGNORE,
    STOP
  }

  private SignalNumbers() {}

  /** The bit of {@code sig} in a signal set ({@code sigmask(sig)}). */
  public static long bit(int sig) {
    return 1L << (sig - 1);
  }

  /** {@code valid_signal(sig) && sig >= 1}. */
  public static boolean isValid(long sig) {
    return sig >= 1 && sig <= NSIG;
  }

  /** The default action of {@code sig} (1..64). */
  public static DefaultAction defaultAction(int sig) {
    long b = bit(sig);
    if ((DEFAULT_IGNORE_MASK & b) != 0) {
      return DefaultAction.IGNORE;
    }
    if ((DEFAULT_STOP_MASK & b) != 0) {
      return DefaultAction.STOP;
    }
    if ((DEFAULT_COREDUMP_MASK & b) != 0) {
      return DefaultAction.COREDUMP;
    }
    return DefaultAction.TERMINATE;
  }

  /** True when the default action ends the process (terminate or core dump). */
  public static boolean defaultIsFatal(int sig) {
    DefaultAction a = defaultAction(sig);
    return a == DefaultAction.TERMINATE || a == DefaultAction.COREDUMP;
  }

  /** The name of {@code sig}, e.g. {@code "SIGSEGV"} or {@code "SIGRT3"} ({@code SIGRTMIN + 3}). */
  public static String name(int sig) {
    if (sig >= 1 && sig < NAMES.length) {
      return NAMES[sig];
    }
    if (sig >= SIGRTMIN && sig <= NSIG) {
      return "SIGRT" + (sig - SIGRTMIN);
    }
    return "signal " + sig;
  }
}
