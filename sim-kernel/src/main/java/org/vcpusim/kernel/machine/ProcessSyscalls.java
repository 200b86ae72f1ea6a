package org.vcpusim.kernel.machine;

import java.nio.charset.StandardCharsets;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.syscall.SyscallContext;
import org.vcpusim.kernel.syscall.SyscallNumbers;
import org.vcpusim.kernel.syscall.SyscallTable;

/**
 * Process and thread lifecycle system calls:
 *
 * <ul>
 *   <li>{@code getpid()} (39): the thread-group id, which is the process id; {@code gettid()}
 *       (186): the task id.
 *   <li>{@code exit(status)} (60): the calling thread ends with {@code status & 0xff} ({@code
 *       kernel/exit.c: do_exit()}); the process ends with its last thread. {@code
 *       exit_group(status)} (231): every thread of the process ends ({@code do_group_exit()}).
 *       Neither returns.
 *   <li>{@code fork()} (57): a copy of the process with one thread, which returns 0; the parent
 *       gets the child's pid ({@code kernel/fork.c: kernel_clone()} without {@code CLONE_VM}).
 *   <li>{@code execve(path, argv, envp)} (59): replaces the image with the one registered at the
 *       NUL-terminated {@code path} ({@link Machine#registerImage}); {@code -EFAULT} when the path
 *       cannot be read, {@code -ENAMETOOLONG} when it has no NUL within {@link #PATH_MAX} bytes,
 *       {@code -ENOENT} when nothing is registered there. Does not return on success. {@code argv}
 *       and {@code envp} are not passed on (the new image starts with no arguments).
 * </ul>
 */
final class ProcessSyscalls {
  /** {@code PATH_MAX}, including the terminating NUL (include/uapi/linux/limits.h). */
  static final int PATH_MAX = 4096;
  /** {@code ENAMETOOLONG}. */
  static final int ENAMETOOLONG = 36;
  /** The low byte of an exit status is what {@code wait()} reports. */
  private static final long STATUS_MASK = 0xff;

  private final Machine machine;

  private ProcessSyscalls(Machine machine) {
    this.machine = machine;
  }

  static void install(SyscallTable table, Machine machine) {
    ProcessSyscalls s = new ProcessSyscalls(machine);
    table.register(SyscallNumbers.GETPID, "getpid", c -> c.task().process().pid());
    table.register(SyscallNumbers.GETTID, "gettid", c -> c.task().tid());
    table.register(SyscallNumbers.EXIT, "exit", s::exit);
    table.register(SyscallNumbers.EXIT_GROUP, "exit_group", s::exitGroup);
    table.register(SyscallNumbers.FORK, "fork", c -> machine.fork(c.task()));
    table.register(SyscallNumbers.EXECVE, "execve", s::execve);
  }

  private long exit(SyscallContext c) {
    long status = c.arg(0) & STATUS_MASK;
    c.noReturnValue();
    machine.exitTask(c.task(), status, "exit(" + status + ") of its last thread");
    return 0;
  }

  private long exitGroup(SyscallContext c) {
    long status = c.arg(0) & STATUS_MASK;
    c.noReturnValue();
    machine.exitGroup(c.task().process(), status, "exit_group(" + status + ")");
    return 0;
  }

  private long execve(SyscallContext c) {
    long address = c.arg(0);
    byte[] buf = new byte[1];
    StringBuilder path = new StringBuilder();
    for (int i = 0; ; i++) {
      if (i == PATH_MAX) {
        return Errno.fail(ENAMETOOLONG);
      }
      if (!UserCopy.read(c.memory(), address + i, buf, 1)) {
        return Errno.fail(Errno.EFAULT);
      }
      if (buf[0] == 0) {
        break;
      }
      path.append((char) (buf[0] & 0xff));
    }
    String p = new String(path.toString().getBytes(StandardCharsets.ISO_8859_1),
        StandardCharsets.UTF_8);
    if (!machine.exec(c.task(), c.cpu(), p)) {
      return Errno.fail(Errno.ENOENT);
    }
    c.noReturnValue();
    return 0;
  }
}
