package org.vcpusim.cpu.exec;

/** Which level of the memory hierarchy served an access, from nearest to farthest. */
public enum MemoryLevel {
  /** The instruction made no memory access. */
  NONE,
  /** Forwarded from an older store still in flight (store-to-load forwarding). */
  STORE_FORWARD,
  L1,
  L2,
  /** The shared last-level cache of the socket. */
  LLC,
  /** The line was last written by another core: a cross-core transfer. */
  REMOTE_CORE,
  DRAM
}
