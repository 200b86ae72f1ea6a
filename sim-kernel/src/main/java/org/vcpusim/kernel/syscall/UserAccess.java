package org.vcpusim.kernel.syscall;

import java.util.Locale;
import org.vcpusim.cpu.mem.AddressSpace;

/**
 * The kernel's accessors of user memory, {@code access_ok()}, {@code get_user()} and {@code
 * put_user()} (arch/x86/include/asm/uaccess.h): a range check against the top of user space, then
 * an access through the task's page permissions that reports a fault instead of raising one.
 *
 * <p>Each accessor returns whether it succeeded; a successful {@link #get} leaves the value in
 * {@link #value()}, a failure leaves a description of the fault in {@link #fault()} (for kill
 * reasons and findings). The {@link AddressSpace}'s own fault record is cleared after every access,
 * so that the kernel's accesses never leave state the core would read.
 *
 * <p><b>Caveats:</b> one instance per subsystem, not thread-safe; {@link #value()} and {@link
 * #fault()} are valid until the next access. The range limit is {@link AddressSpace#USER_LIMIT}
 * (x86-64's {@code TASK_SIZE_MAX} is one page lower).
 */
public final class UserAccess {
  private long value;
  private String fault;

  /**
   * {@code access_ok(addr, size)}: the whole range lies below the top of user space, without
   * wrapping (arch/x86/include/asm/uaccess_64.h {@code __access_ok}).
   */
  public static boolean accessOk(long address, long size) {
    return Long.compareUnsigned(address, AddressSpace.USER_LIMIT) <= 0
        && Long.compareUnsigned(size, AddressSpace.USER_LIMIT - address) <= 0;
  }

  /** {@code get_user()}: reads {@code size} (1..8) bytes at {@code address}. */
  public boolean get(AddressSpace memory, long address, int size) {
    if (!accessOk(address, size)) {
      fault = String.format(Locale.ROOT, "read of %d bytes at %#x beyond the user limit", size,
          address);
      return false;
    }
    memory.clearFault();
    long v = memory.load(address, size);
    if (memory.hasFault()) {
      fault = describe(memory, "read", size);
      memory.clearFault();
      return false;
    }
    value = v;
    return true;
  }

  /** {@code put_user()}: writes the low {@code size} (1..8) bytes of {@code v} at {@code address}. */
  public boolean put(AddressSpace memory, long address, int size, long v) {
    if (!accessOk(address, size)) {
      fault = String.format(Locale.ROOT, "write of %d bytes at %#x beyond the user limit", size,
          address);
      return false;
    }
    memory.clearFault();
    if (!memory.store(address, size, v)) {
      fault = describe(memory, "write", size);
      memory.clearFault();
      return false;
    }
    return true;
  }

  /** The value of the last successful {@link #get}. */
  public long value() {
    return value;
  }

  /** Why the last failed access failed, e.g. {@code "write of 4 bytes at 0x7000: NOT_MAPPED"}. */
  public String fault() {
    return fault;
  }

  private static String describe(AddressSpace memory, String what, int size) {
    return String.format(Locale.ROOT, "%s of %d bytes faulted at %#x (%s)", what, size,
        memory.faultAddress(), memory.fault());
  }
}
