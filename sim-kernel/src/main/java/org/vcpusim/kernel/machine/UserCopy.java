package org.vcpusim.kernel.machine;

import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.syscall.UserAccess;

/**
 * {@code copy_from_user()} / {@code copy_to_user()} for the machine's system calls: a range check
 * against the top of user space ({@link UserAccess#accessOk}), then a copy through the page
 * permissions that reports failure instead of raising a fault, leaving no fault recorded in the
 * address space.
 */
final class UserCopy {
  private UserCopy() {}

  /** Copies {@code n} bytes at {@code address} into {@code dst}; false on a fault. */
  static boolean read(AddressSpace m, long address, byte[] dst, int n) {
    if (!UserAccess.accessOk(address, n)) {
      return false;
    }
    boolean ok = m.read(address, dst, 0, n);
    m.clearFault();
    return ok;
  }

  /** Copies {@code n} bytes of {@code src} to {@code address}; false, nothing written, on a fault. */
  static boolean write(AddressSpace m, long address, byte[] src, int n) {
    if (!UserAccess.accessOk(address, n)) {
      return false;
    }
    boolean ok = m.write(address, src, 0, n);
    m.clearFault();
    return ok;
  }

  /** The little-endian 64-bit value at {@code off} of {@code b}. */
  static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  /** Stores {@code v} little-endian at {@code off} of {@code b}. */
  static void putLong(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }
}
