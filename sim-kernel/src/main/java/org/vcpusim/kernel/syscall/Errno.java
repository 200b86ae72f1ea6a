package org.vcpusim.kernel.syscall;

/**
 * Linux errno values (include/uapi/asm-generic/errno-base.h, errno.h). A syscall that fails
 * returns {@code -errno} in RAX, as the x86-64 syscall ABI does.
 */
public final class Errno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int ESRCH = 3;
  public static final int EINTR = 4;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;
  public static final int ENOMEM = 12;
  public static final int EACCES = 13;
  public static final int EFAULT = 14;
  public static final int EBUSY = 16;
  public static final int EEXIST = 17;
  public static final int EINVAL = 22;
  public static final int ENOSYS = 38;

  private Errno() {}

  /** The RAX value of a failed syscall: {@code -errno}. */
  public static long fail(int errno) {
    return -(long) errno;
  }
}
