package org.vcpusim.cpu.mem;

/**
 * One mapped 4 KiB page: its permissions and, once touched, its bytes. A page that was mapped but
 * never written has no array yet (demand-zero, as anonymous memory is on Linux); reads of it see
 * {@link #ZERO}.
 */
final class Page {
  /** The shared contents of every never-written page. Never written through. */
  static final byte[] ZERO = new byte[AddressSpace.PAGE_SIZE];

  /** {@link AddressSpace#READ} | {@link AddressSpace#WRITE} | {@link AddressSpace#EXECUTE}. */
  int perms;
  /** The bytes, or null until the first write. */
  byte[] data;

  Page(int perms) {
    this.perms = perms;
  }

  /** The bytes for reading: the page's own array or the shared zero page. */
  byte[] readable() {
    byte[] d = data;
    return d != null ? d : ZERO;
  }

  /** The bytes for writing, allocating them on first use. */
  byte[] writable() {
    byte[] d = data;
    if (d == null) {
      d = new byte[AddressSpace.PAGE_SIZE];
      data = d;
    }
    return d;
  }
}
