package org.vcpusim.kernel.syscall;

/**
 * The system call table: number → handler, like {@code sys_call_table}. Numbers without a
 * handler return {@code -ENOSYS}, as Linux does.
 *
 * <p><b>Caveats:</b> filled while a machine is built; not thread-safe.
 */
public final class SyscallTable {
  private static final int SIZE = 512;
  private final SyscallHandler[] handlers = new SyscallHandler[SIZE];
  private final String[] names = new String[SIZE];

  /** Installs {@code handler} for {@code number}; a second registration of a number is a bug. */
  public void register(int number, String name, SyscallHandler handler) {
    if (number < 0 || number >= SIZE) {
      throw new IllegalArgumentException("syscall number " + number);
    }
    if (handlers[number] != null) {
      throw new IllegalStateException(
          "syscall " + number + " already registered as " + names[number]);
    }
    handlers[number] = handler;
    names[number] = name;
  }

  /** The handler of {@code number}, or null. */
  public SyscallHandler handler(long number) {
    return number < 0 || number >= SIZE ? null : handlers[(int) number];
  }

  /** The registered name of {@code number}, or {@code "syscall_<n>"}. */
  public String name(long number) {
    String n = number < 0 || number >= SIZE ? null : names[(int) number];
    return n != null ? n : "syscall_" + number;
  }

  /** Registered numbers in ascending order. */
  public int[] numbers() {
    int n = 0;
    for (SyscallHandler h : handlers) {
      n += h != null ? 1 : 0;
    }
    int[] out = new int[n];
    for (int i = 0, j = 0; i < SIZE; i++) {
      if (handlers[i] != null) {
        out[j++] = i;
      }
    }
    return out;
  }
}
