package org.vcpusim.kernel.syscall;

/**
 * x86-64 syscall numbers of the calls vcpusim implements
 * (arch/x86/entry/syscalls/syscall_64.tbl). The GS-mode prctl rides on {@link #PRCTL}.
 */
public final class SyscallNumbers {
  public static final int MMAP = 9;
  public static final int MPROTECT = 10;
  public static final int MUNMAP = 11;
  public static final int RT_SIGACTION = 13;
  public static final int RT_SIGPROCMASK = 14;
  public static final int RT_SIGRETURN = 15;
  public static final int SCHED_YIELD = 24;
  public static final int NANOSLEEP = 35;
  public static final int GETPID = 39;
  public static final int CLONE = 56;
  public static final int FORK = 57;
  public static final int EXECVE = 59;
  public static final int EXIT = 60;
  public static final int KILL = 62;
  public static final int PRCTL = 157;
  public static final int ARCH_PRCTL = 158;
  public static final int GETTID = 186;
  public static final int TGKILL = 234;
  public static final int SCHED_SETAFFINITY = 203;
  public static final int SCHED_GETAFFINITY = 204;
  public static final int EXIT_GROUP = 231;
  public static final int MEMBARRIER = 324;
  public static final int RSEQ = 334;

  private SyscallNumbers() {}
}
