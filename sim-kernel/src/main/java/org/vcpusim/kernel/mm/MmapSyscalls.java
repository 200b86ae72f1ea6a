package org.vcpusim.kernel.mm;

import org.vcpusim.kernel.syscall.SyscallNumbers;
import org.vcpusim.kernel.syscall.SyscallTable;

/**
 * The memory-mapping system calls, decoding their registers into {@link MemoryMaps}: {@code mmap}
 * (9: addr, length, prot, flags, fd, offset), {@code mprotect} (10: addr, length, prot) and {@code
 * munmap} (11: addr, length), x86-64 numbers from {@link SyscallNumbers}.
 */
public final class MmapSyscalls {
  private MmapSyscalls() {}

  /** Registers the three calls in {@code table}, served by {@code maps}. */
  public static void install(SyscallTable table, MemoryMaps maps) {
    table.register(
        SyscallNumbers.MMAP,
        "mmap",
        c -> maps.mmap(c.task().process(), c.arg(0), c.arg(1), c.arg(2), c.arg(3), c.arg(5)));
    table.register(
        SyscallNumbers.MPROTECT,
        "mprotect",
        c -> maps.mprotect(c.task().process(), c.arg(0), c.arg(1), c.arg(2)));
    table.register(
        SyscallNumbers.MUNMAP, "munmap", c -> maps.munmap(c.task().process(), c.arg(0), c.arg(1)));
  }
}
