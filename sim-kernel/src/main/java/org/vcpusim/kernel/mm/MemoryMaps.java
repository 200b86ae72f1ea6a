package org.vcpusim.kernel.mm;

import java.util.Objects;
import java.util.TreeMap;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.task.Process;

/**
 * Anonymous private memory of every process: each mm's reserved ranges ({@link VmAreas}, keyed by
 * pid) and the operations behind {@code mmap}, {@code munmap} and {@code mprotect}, with the checks
 * and errno values of Linux's {@code do_mmap()}, {@code __vm_munmap()} and {@code
 * do_mprotect_pkey()} (mm/mmap.c, mm/mprotect.c, arch/x86/kernel/sys_x86_64.c) for the cases the
 * model supports.
 *
 * <p>Placement without {@code MAP_FIXED}: a page-aligned hint at or above {@link #MMAP_MIN_ADDR}
 * whose range is free is used as is; otherwise the highest free gap below the mmap base
 * ({@link VmAreas#findTopDown}), never below {@link #MMAP_MIN_ADDR}. With {@code MAP_FIXED} the
 * range replaces whatever was there; with {@code MAP_FIXED_NOREPLACE} it must be free ({@code
 * -EEXIST}).
 *
 * <p>Permissions are x86-64's: a writable or executable page is also readable (page tables have no
 * write-only or execute-only encoding without protection keys), {@code PROT_NONE} maps pages that
 * fault on any access.
 *
 * <p><b>Caveats:</b> only {@code MAP_PRIVATE | MAP_ANONYMOUS} memory: there are no files (a mapping
 * without {@code MAP_ANONYMOUS} fails with {@code -EBADF}, as it would for a closed descriptor) and
 * shared anonymous memory, whose only observable difference is sharing with a forked child, is
 * refused with {@code -EINVAL}. Flags the model does not interpret ({@code MAP_NORESERVE}, {@code
 * MAP_POPULATE}, {@code MAP_STACK}, ...) are ignored, as Linux ignores unknown flags of a {@code
 * MAP_PRIVATE} mapping. Not thread-safe.
 */
public final class MemoryMaps {
  /** {@code vm.mmap_min_addr}: the common distribution value, 64 KiB (reference kernel.md §5.5). */
  public static final long MMAP_MIN_ADDR = 0x10000;

  public static final int PROT_NONE = 0;
  public static final int PROT_READ = 0x1;
  public static final int PROT_WRITE = 0x2;
  public static final int PROT_EXEC = 0x4;
  /** Accepted by {@code mprotect} everywhere ({@code arch_validate_prot()}); no effect. */
  public static final int PROT_SEM = 0x8;

  public static final int MAP_SHARED = 0x01;
  public static final int MAP_PRIVATE = 0x02;
  public static final int MAP_SHARED_VALIDATE = 0x03;
  /** The mapping-type field of the flags. */
  public static final int MAP_TYPE = 0x0f;
  public static final int MAP_FIXED = 0x10;
  public static final int MAP_ANONYMOUS = 0x20;
  public static final int MAP_FIXED_NOREPLACE = 0x100000;

  private static final long PAGE = AddressSpace.PAGE_SIZE;

  private final long mmapBase;
  private final TreeMap<Integer, VmAreas> byPid = new TreeMap<>();

  /**
   * @param mmapBase the page-aligned ceiling of top-down placement ({@code mm->mmap_base})
   */
  public MemoryMaps(long mmapBase) {
    if ((mmapBase & (PAGE - 1)) != 0 || mmapBase <= MMAP_MIN_ADDR) {
      throw new IllegalArgumentException("bad mmap base " + Long.toHexString(mmapBase));
    }
    this.mmapBase = mmapBase;
  }

  /** The ceiling of top-down placement. */
  public long mmapBase() {
    return mmapBase;
  }

  /** Starts the empty range list of a new process {@code pid} (or of one that exec'd). */
  public VmAreas create(int pid) {
    VmAreas a = new VmAreas();
    byPid.put(pid, a);
    return a;
  }

  /** Gives the forked child {@code childPid} a copy of the parent's ranges. */
  public void fork(int parentPid, int childPid) {
    byPid.put(childPid, areas(parentPid).copy());
  }

  /** Drops the ranges of an exited process. */
  public void release(int pid) {
    byPid.remove(pid);
  }

  /** The ranges of process {@code pid}. */
  public VmAreas areas(int pid) {
    VmAreas a = byPid.get(pid);
    if (a == null) {
      throw new IllegalArgumentException("no memory map for process " + pid);
    }
    return a;
  }

  /**
   * Reserves and maps {@code length} bytes for the kernel's own use in {@code process} (stacks, TLS
   * blocks): top-down below the mmap base, with {@code guardBytes} reserved but unmapped below the
   * mapping so that running off its bottom faults.
   *
   * @return the address of the mapped part
   * @throws IllegalStateException when the address space is full
   */
  public long mapKernel(Process process, long length, long guardBytes, int perms) {
    VmAreas areas = areas(process.pid());
    long total = pageAlign(length) + pageAlign(guardBytes);
    long at = areas.findTopDown(total, mmapBase, MMAP_MIN_ADDR);
    if (at < 0) {
      throw new IllegalStateException("no room for " + total + " bytes in " + process);
    }
    areas.reserve(at, at + total);
    long mapped = at + pageAlign(guardBytes);
    process.addressSpace().map(mapped, pageAlign(length), perms);
    return mapped;
  }

  /** Records that {@code [start, end)} is taken in {@code process} (the image, fixed pages). */
  public void reserve(Process process, long start, long end) {
    areas(process.pid()).reserve(start & -PAGE, pageAlign(end));
  }

  /**
   * {@code mmap(addr, len, prot, flags, fd, offset)} for anonymous private memory.
   *
   * @return the mapping's address, or {@code -errno}
   */
  public long mmap(Process process, long addr, long len, long prot, long flags, long offset) {
    if ((offset & (PAGE - 1)) != 0) {
      return Errno.fail(Errno.EINVAL); // sys_mmap: off & ~PAGE_MASK
    }
    if ((flags & MAP_ANONYMOUS) == 0) {
      return Errno.fail(Errno.EBADF); // no files in the model: every descriptor is closed
    }
    if (len == 0) {
      return Errno.fail(Errno.EINVAL);
    }
    int type = (int) (flags & MAP_TYPE);
    if (type == MAP_SHARED || type == MAP_SHARED_VALIDATE) {
      return Errno.fail(Errno.EINVAL); // shared anonymous memory is not modelled (class comment)
    }
    if (type != MAP_PRIVATE) {
      return Errno.fail(Errno.EINVAL);
    }
    long length = pageAlign(len);
    if (length <= 0 || length > AddressSpace.USER_LIMIT) {
      return Errno.fail(Errno.ENOMEM);
    }
    VmAreas areas = areas(process.pid());
    boolean fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
    long at;
    if (fixed) {
      if ((addr & (PAGE - 1)) != 0) {
        return Errno.fail(Errno.EINVAL);
      }
      if (Long.compareUnsigned(addr, AddressSpace.USER_LIMIT - length) > 0) {
        return Errno.fail(Errno.ENOMEM);
      }
      if (addr < MMAP_MIN_ADDR) {
        return Errno.fail(Errno.EPERM); // security_mmap_addr(): below vm.mmap_min_addr
      }
      if ((flags & MAP_FIXED) == 0 && !areas.isFree(addr, addr + length)) {
        return Errno.fail(Errno.EEXIST);
      }
      at = addr;
    } else {
      long hint = addr & -PAGE;
      if (hint >= MMAP_MIN_ADDR
          && Long.compareUnsigned(hint, AddressSpace.USER_LIMIT - length) <= 0
          && areas.isFree(hint, hint + length)) {
        at = hint;
      } else {
        at = areas.findTopDown(length, mmapBase, MMAP_MIN_ADDR);
        if (at < 0) {
          return Errno.fail(Errno.ENOMEM);
        }
      }
    }
    areas.reserve(at, at + length);
    process.addressSpace().map(at, length, pagePermissions(prot));
    return at;
  }

  /** {@code munmap(addr, len)}: 0 or {@code -errno}; unmapping nothing succeeds. */
  public long munmap(Process process, long addr, long len) {
    if ((addr & (PAGE - 1)) != 0
        || Long.compareUnsigned(addr, AddressSpace.USER_LIMIT) > 0
        || Long.compareUnsigned(len, AddressSpace.USER_LIMIT - addr) > 0) {
      return Errno.fail(Errno.EINVAL);
    }
    long length = pageAlign(len);
    if (length == 0) {
      return Errno.fail(Errno.EINVAL);
    }
    long end = Math.min(addr + length, AddressSpace.USER_LIMIT);
    if (end > addr) {
      areas(process.pid()).release(addr, end);
      process.addressSpace().unmap(addr, end - addr);
    }
    return 0;
  }

  /**
   * {@code mprotect(addr, len, prot)}: 0 or {@code -errno}; {@code -ENOMEM} when part of the range
   * is not mapped (a guard page included), and nothing changes then.
   */
  public long mprotect(Process process, long addr, long len, long prot) {
    if ((addr & (PAGE - 1)) != 0) {
      return Errno.fail(Errno.EINVAL);
    }
    if ((prot & ~(long) (PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)) != 0) {
      return Errno.fail(Errno.EINVAL); // arch_validate_prot()
    }
    if (len == 0) {
      return 0;
    }
    long length = pageAlign(len);
    long end = addr + length;
    if (length <= 0 || end <= addr || end > AddressSpace.USER_LIMIT) {
      return Errno.fail(Errno.ENOMEM);
    }
    if (!areas(process.pid()).isCovered(addr, end)) {
      return Errno.fail(Errno.ENOMEM);
    }
    if (!process.addressSpace().protect(addr, length, pagePermissions(prot))) {
      return Errno.fail(Errno.ENOMEM);
    }
    return 0;
  }

  /** x86-64 page permissions for a {@code PROT_*} set: write and execute imply read. */
  public static int pagePermissions(long prot) {
    boolean w = (prot & PROT_WRITE) != 0;
    boolean x = (prot & PROT_EXEC) != 0;
    boolean r = (prot & PROT_READ) != 0 || w || x;
    return AddressSpace.permissions(r, w, x);
  }

  /** {@code PAGE_ALIGN()}: rounds up to the page size; a negative result means it overflowed. */
  static long pageAlign(long length) {
    return (length + PAGE - 1) & -PAGE;
  }

  @Override
  public String toString() {
    return "MemoryMaps" + Objects.toString(byPid.keySet());
  }
}
