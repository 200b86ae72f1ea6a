package org.vcpusim.cpu.mem;

/**
 * Why an access to an {@link AddressSpace} failed. The core turns {@link #NON_CANONICAL} into a
 * general-protection fault (#GP) and every other kind into a page fault (#PF), as x86-64 does
 * (Intel SDM vol. 3A, 4.7 "Page-Fault Exceptions" and 3.3.7.1 "Canonical Addressing"); the kernel
 * layer maps {@link #NOT_MAPPED} to {@code SEGV_MAPERR} and the permission kinds to {@code
 * SEGV_ACCERR}.
 */
public enum MemoryFault {
  /** No page is mapped at the address. */
  NOT_MAPPED,
  /** A write (or the write half of a read-modify-write) to a page without write permission. */
  WRITE_PROTECTED,
  /** A read of a page mapped without read permission ({@code PROT_NONE}-like). */
  NOT_READABLE,
  /** An instruction fetch from a page without execute permission. */
  NOT_EXECUTABLE,
  /** The address is not canonical (bits 63..47 not all equal): no page can ever be there. */
  NON_CANONICAL
}
