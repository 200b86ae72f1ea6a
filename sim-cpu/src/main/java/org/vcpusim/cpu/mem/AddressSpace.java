package org.vcpusim.cpu.mem;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The memory of one simulated process: a sparse set of 4 KiB pages in the canonical user half
 * {@code [0, 2^47)}, each with read / write / execute permission, accessed little-endian with any
 * alignment (an access may straddle two pages; it then needs both).
 *
 * <p><b>Fast path.</b> Loads and stores go through a 256-entry direct-mapped software TLB that
 * caches, per virtual page number, the page's byte array for reading and (when the page is readable
 * and writable) for writing; a hit costs a tag compare and a {@link VarHandle} access. A miss
 * consults the {@link PageTable}, a primitive-keyed open-addressing map.
 *
 * <p><b>Faults.</b> The hot methods ({@link #load}, {@link #loadForUpdate}, {@link #store}, {@link
 * #fetchable}) never throw and never allocate on failure: they return 0 or false and record a
 * {@link MemoryFault}, the faulting byte's address and the {@link AccessKind} in this object
 * ({@link #fault()}, {@link #faultAddress()}, {@link #faultAccess()}), where the core reads them to
 * raise a #PF or #GP trap. A failed access has no effect: a store that straddles into a bad page
 * writes no byte. The recorded fault is overwritten by the next failure and stays until {@link
 * #clearFault()}; the bulk methods clear it on entry.
 *
 * <p><b>Permissions.</b> As with x86-64 paging under Linux, a writable page is expected to be
 * readable; a write-only page still works but every access to it takes the slow path. Pages are
 * demand-zero: mapping costs no array until the first write.
 *
 * <p><b>Caveats:</b> not thread-safe; one address space belongs to one simulation thread. Callers
 * other than the core that use the hot methods must check {@link #hasFault()} and clear it.
 */
public final class AddressSpace {
  public static final int PAGE_SHIFT = 12;
  public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
  private static final int PAGE_MASK = PAGE_SIZE - 1;

  /** Permission bit: loads allowed. */
  public static final int READ = 1;
  /** Permission bit: stores allowed. */
  public static final int WRITE = 2;
  /** Permission bit: instruction fetch allowed. */
  public static final int EXECUTE = 4;

  /** One past the highest user address: the canonical lower half of a 48-bit address space. */
  public static final long USER_LIMIT = 1L << 47;

  private static final int TLB_BITS = 8;
  private static final int TLB_SIZE = 1 << TLB_BITS;
  private static final int TLB_MASK = TLB_SIZE - 1;

  private static final int MODE_READ = 0;
  private static final int MODE_WRITE = 1;
  private static final int MODE_UPDATE = 2;
  private static final int MODE_EXECUTE = 3;
  private static final int MODE_ANY = 4;

  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  private final int id;
  private final PageTable table = new PageTable();
  private int version;

  private final long[] tlbVpn = new long[TLB_SIZE];
  private final byte[][] tlbRead = new byte[TLB_SIZE][];
  private final byte[][] tlbWrite = new byte[TLB_SIZE][];

  private MemoryFault fault;
  private long faultAddress;
  private AccessKind faultAccess;

  /**
   * An empty address space.
   *
   * @param id the address-space id (ASID) that tags this process's cache lines and execution
   *     records; chosen by the caller so that runs stay deterministic
   */
  public AddressSpace(int id) {
    this.id = id;
    Arrays.fill(tlbVpn, -1L);
  }

  /** The address-space id. */
  public int id() {
    return id;
  }

  /**
   * A counter bumped by every {@link #map}, {@link #unmap} and {@link #protect}: a core that cached
   * "this instruction's page is executable" re-checks when it changes.
   */
  public int version() {
    return version;
  }

  /** Number of mapped pages. */
  public int pageCount() {
    return table.size();
  }

  /** True when {@code address} is canonical for 48-bit virtual addresses (bits 63..47 equal). */
  public static boolean isCanonical(long address) {
    return (address << 16 >> 16) == address;
  }

  /** Builds a permission set from three flags. */
  public static int permissions(boolean read, boolean write, boolean execute) {
    return (read ? READ : 0) | (write ? WRITE : 0) | (execute ? EXECUTE : 0);
  }

  // ------------------------------------------------------------------ mappings

  /**
   * Maps fresh zero-filled pages over {@code [address, address + length)} rounded up to whole
   * pages, replacing any mapping there ({@code mmap(MAP_FIXED)} semantics).
   *
   * @param address page-aligned, in {@code [0, USER_LIMIT)}
   * @param length bytes, positive
   * @param perms a combination of {@link #READ}, {@link #WRITE}, {@link #EXECUTE}
   * @throws IllegalArgumentException for a misaligned, empty or out-of-range request
   */
  public void map(long address, long length, int perms) {
    long pages = checkRange(address, length);
    checkPerms(perms);
    long vpn = address >>> PAGE_SHIFT;
    for (long p = 0; p < pages; p++) {
      table.put(vpn + p, new Page(perms));
      invalidate(vpn + p);
    }
    version++;
  }

  /** Removes every page of {@code [address, address + length)}; unmapped pages are ignored. */
  public void unmap(long address, long length) {
    long pages = checkRange(address, length);
    long first = address >>> PAGE_SHIFT;
    if (pages > table.size()) {
      for (long vpn : table.pageNumbers()) {
        if (vpn >= first && vpn - first < pages) {
          table.remove(vpn);
          invalidate(vpn);
        }
      }
    } else {
      for (long p = 0; p < pages; p++) {
        if (table.remove(first + p) != null) {
          invalidate(first + p);
        }
      }
    }
    version++;
  }

  /**
   * Changes the permissions of every page of {@code [address, address + length)}.
   *
   * @return false, changing nothing, when a page of the range is not mapped ({@code mprotect}
   *     would fail with ENOMEM)
   */
  public boolean protect(long address, long length, int perms) {
    long pages = checkRange(address, length);
    checkPerms(perms);
    long first = address >>> PAGE_SHIFT;
    for (long p = 0; p < pages; p++) {
      if (table.get(first + p) == null) {
        return false;
      }
    }
    for (long p = 0; p < pages; p++) {
      table.get(first + p).perms = perms;
      invalidate(first + p);
    }
    version++;
    return true;
  }

  /** The permissions of the page holding {@code address}, or -1 when it is not mapped. */
  public int permissionsAt(long address) {
    if (!isCanonical(address)) {
      return -1;
    }
    Page p = table.get(address >>> PAGE_SHIFT);
    return p == null ? -1 : p.perms;
  }

  /** True when the page holding {@code address} is mapped. */
  public boolean isMapped(long address) {
    return permissionsAt(address) >= 0;
  }

  /** A deep copy of every page and permission under a new id (what {@code fork} gives a child). */
  public AddressSpace fork(int newId) {
    AddressSpace child = new AddressSpace(newId);
    for (long vpn : table.pageNumbers()) {
      Page src = table.get(vpn);
      Page copy = new Page(src.perms);
      if (src.data != null) {
        copy.data = src.data.clone();
      }
      child.table.put(vpn, copy);
    }
    return child;
  }

  private static long checkRange(long address, long length) {
    if ((address & PAGE_MASK) != 0) {
      throw new IllegalArgumentException("address not page-aligned: 0x" + Long.toHexString(address));
    }
    if (length <= 0) {
      throw new IllegalArgumentException("length must be positive: " + length);
    }
    if (address < 0 || address >= USER_LIMIT || length > USER_LIMIT - address) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
          "range [%#x, +%#x) is outside the user half [0, %#x)", address, length, USER_LIMIT));
    }
    return (length + PAGE_MASK) >>> PAGE_SHIFT;
  }

  private static void checkPerms(int perms) {
    if ((perms & ~(READ | WRITE | EXECUTE)) != 0) {
      throw new IllegalArgumentException("permissions " + perms);
    }
  }

  private void invalidate(long vpn) {
    int slot = (int) vpn & TLB_MASK;
    if (tlbVpn[slot] == vpn) {
      tlbVpn[slot] = -1L;
      tlbRead[slot] = null;
      tlbWrite[slot] = null;
    }
  }

  // ------------------------------------------------------------------ fault status

  /** True when an access failed since the last {@link #clearFault()}. */
  public boolean hasFault() {
    return fault != null;
  }

  /** Why the last access failed, or null. */
  public MemoryFault fault() {
    return fault;
  }

  /** The first byte that could not be accessed in the last failure. */
  public long faultAddress() {
    return faultAddress;
  }

  /** What the last failed access tried to do. */
  public AccessKind faultAccess() {
    return faultAccess;
  }

  /** Forgets the last failure. */
  public void clearFault() {
    fault = null;
  }

  private byte[] fail(MemoryFault kind, long address, int mode) {
    fault = kind;
    faultAddress = address;
    faultAccess = mode == MODE_EXECUTE ? AccessKind.EXECUTE
        : (mode == MODE_WRITE || mode == MODE_UPDATE) ? AccessKind.WRITE : AccessKind.READ;
    return null;
  }

  // ------------------------------------------------------------------ translation

  /**
   * The bytes of the page holding {@code address} for an access of the given mode, or null with
   * the fault recorded. Fills the TLB for data accesses.
   */
  private byte[] translate(long address, int mode) {
    if (!isCanonical(address)) {
      return fail(MemoryFault.NON_CANONICAL, address, mode);
    }
    long vpn = address >>> PAGE_SHIFT;
    Page p = table.get(vpn);
    if (p == null) {
      return fail(MemoryFault.NOT_MAPPED, address, mode);
    }
    int perms = p.perms;
    byte[] bytes;
    switch (mode) {
      case MODE_READ:
        if ((perms & READ) == 0) {
          return fail(MemoryFault.NOT_READABLE, address, mode);
        }
        bytes = p.readable();
        break;
      case MODE_WRITE:
        if ((perms & WRITE) == 0) {
          return fail(MemoryFault.WRITE_PROTECTED, address, mode);
        }
        bytes = p.writable();
        break;
      case MODE_UPDATE:
        if ((perms & WRITE) == 0) {
          return fail(MemoryFault.WRITE_PROTECTED, address, mode);
        }
        if ((perms & READ) == 0) {
          return fail(MemoryFault.NOT_READABLE, address, mode);
        }
        bytes = p.writable();
        break;
      case MODE_EXECUTE:
        if ((perms & EXECUTE) == 0) {
          return fail(MemoryFault.NOT_EXECUTABLE, address, mode);
        }
        return p.readable();
      default:
        throw new IllegalStateException("translation mode " + mode);
    }
    int slot = (int) vpn & TLB_MASK;
    tlbVpn[slot] = vpn;
    boolean readable = (perms & READ) != 0;
    tlbRead[slot] = readable ? p.readable() : null;
    tlbWrite[slot] = readable && (perms & WRITE) != 0 ? p.data : null;
    return bytes;
  }

  // ------------------------------------------------------------------ hot accessors

  /**
   * Loads {@code size} bytes (1..8) little-endian, zero-extended.
   *
   * @return the value, or 0 with {@link #fault()} set when a byte is not readable
   */
  public long load(long address, int size) {
    long vpn = address >>> PAGE_SHIFT;
    int slot = (int) vpn & TLB_MASK;
    int offset = (int) address & PAGE_MASK;
    byte[] page;
    if (tlbVpn[slot] == vpn && (page = tlbRead[slot]) != null && offset <= PAGE_SIZE - size) {
      return get(page, offset, size);
    }
    return loadSlow(address, size, MODE_READ);
  }

  /**
   * Loads like {@link #load} but requires write permission as well: the read half of a
   * read-modify-write, which faults as a write when the page is read-only.
   */
  public long loadForUpdate(long address, int size) {
    long vpn = address >>> PAGE_SHIFT;
    int slot = (int) vpn & TLB_MASK;
    int offset = (int) address & PAGE_MASK;
    byte[] page;
    if (tlbVpn[slot] == vpn && (page = tlbWrite[slot]) != null && offset <= PAGE_SIZE - size) {
      return get(page, offset, size);
    }
    return loadSlow(address, size, MODE_UPDATE);
  }

  /**
   * Stores the low {@code size} bytes (1..8) of {@code value} little-endian.
   *
   * @return true, or false with {@link #fault()} set and no byte written
   */
  public boolean store(long address, int size, long value) {
    long vpn = address >>> PAGE_SHIFT;
    int slot = (int) vpn & TLB_MASK;
    int offset = (int) address & PAGE_MASK;
    byte[] page;
    if (tlbVpn[slot] == vpn && (page = tlbWrite[slot]) != null && offset <= PAGE_SIZE - size) {
      put(page, offset, size, value);
      return true;
    }
    return storeSlow(address, size, value);
  }

  /**
   * True when every byte of {@code [address, address + length)} may be fetched as an instruction;
   * otherwise false with the fault recorded as an {@link AccessKind#EXECUTE} access.
   */
  public boolean fetchable(long address, int length) {
    long last = address + Math.max(length, 1) - 1;
    for (long a = address; ; a = (a | PAGE_MASK) + 1) {
      if (translate(a, MODE_EXECUTE) == null) {
        return false;
      }
      if ((a >>> PAGE_SHIFT) == (last >>> PAGE_SHIFT)) {
        return true;
      }
    }
  }

  private static long get(byte[] page, int offset, int size) {
    switch (size) {
      case 8:
        return (long) LONG.get(page, offset);
      case 4:
        return (int) INT.get(page, offset) & 0xFFFFFFFFL;
      case 2:
        return (short) SHORT.get(page, offset) & 0xFFFFL;
      case 1:
        return page[offset] & 0xFFL;
      default:
        checkSize(size);
        long v = 0;
        for (int i = 0; i < size; i++) {
          v |= (page[offset + i] & 0xFFL) << (8 * i);
        }
        return v;
    }
  }

  private static void put(byte[] page, int offset, int size, long value) {
    switch (size) {
      case 8:
        LONG.set(page, offset, value);
        return;
      case 4:
        INT.set(page, offset, (int) value);
        return;
      case 2:
        SHORT.set(page, offset, (short) value);
        return;
      case 1:
        page[offset] = (byte) value;
        return;
      default:
        checkSize(size);
        for (int i = 0; i < size; i++) {
          page[offset + i] = (byte) (value >>> (8 * i));
        }
    }
  }

  private static void checkSize(int size) {
    if (size < 1 || size > 8) {
      throw new IllegalArgumentException("access size " + size);
    }
  }

  private long loadSlow(long address, int size, int mode) {
    checkSize(size);
    int offset = (int) address & PAGE_MASK;
    byte[] first = translate(address, mode);
    if (first == null) {
      return 0;
    }
    int inFirst = PAGE_SIZE - offset;
    if (size <= inFirst) {
      return get(first, offset, size);
    }
    byte[] second = translate(address + inFirst, mode);
    if (second == null) {
      return 0;
    }
    long v = 0;
    for (int i = 0; i < size; i++) {
      int b = i < inFirst ? first[offset + i] : second[i - inFirst];
      v |= (b & 0xFFL) << (8 * i);
    }
    return v;
  }

  private boolean storeSlow(long address, int size, long value) {
    checkSize(size);
    int offset = (int) address & PAGE_MASK;
    byte[] first = translate(address, MODE_WRITE);
    if (first == null) {
      return false;
    }
    int inFirst = PAGE_SIZE - offset;
    if (size <= inFirst) {
      put(first, offset, size, value);
      return true;
    }
    byte[] second = translate(address + inFirst, MODE_WRITE);
    if (second == null) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      byte b = (byte) (value >>> (8 * i));
      if (i < inFirst) {
        first[offset + i] = b;
      } else {
        second[i - inFirst] = b;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ bulk accessors

  /**
   * Copies {@code length} bytes at {@code address} into {@code dst}, checking read permission.
   *
   * @return true, or false with the fault recorded ({@code dst} may then be partly written)
   */
  public boolean read(long address, byte[] dst, int offset, int length) {
    return copyOut(address, dst, offset, length, MODE_READ);
  }

  /**
   * Copies {@code length} bytes from {@code src} to {@code address}, checking write permission on
   * every page first: on failure no byte is written.
   */
  public boolean write(long address, byte[] src, int offset, int length) {
    return copyIn(address, src, offset, length, MODE_WRITE);
  }

  /** Like {@link #read} but only requires the pages to be mapped (a debugger's or dump's view). */
  public boolean readIgnoringPermissions(long address, byte[] dst, int offset, int length) {
    return copyOut(address, dst, offset, length, MODE_ANY);
  }

  /**
   * Like {@link #write} but only requires the pages to be mapped: how the loader fills read-only
   * and executable sections (the kernel writes them through its own mapping).
   */
  public boolean writeIgnoringPermissions(long address, byte[] src, int offset, int length) {
    return copyIn(address, src, offset, length, MODE_ANY);
  }

  private Page mapped(long address, int mode) {
    if (!isCanonical(address)) {
      fail(MemoryFault.NON_CANONICAL, address, mode);
      return null;
    }
    Page p = table.get(address >>> PAGE_SHIFT);
    if (p == null) {
      fail(MemoryFault.NOT_MAPPED, address, mode);
    }
    return p;
  }

  private boolean copyOut(long address, byte[] dst, int offset, int length, int mode) {
    java.util.Objects.checkFromIndexSize(offset, length, dst.length);
    clearFault();
    int done = 0;
    while (done < length) {
      long a = address + done;
      byte[] bytes;
      if (mode == MODE_ANY) {
        Page p = mapped(a, MODE_READ);
        bytes = p == null ? null : p.readable();
      } else {
        bytes = translate(a, mode);
      }
      if (bytes == null) {
        return false;
      }
      int off = (int) a & PAGE_MASK;
      int n = Math.min(length - done, PAGE_SIZE - off);
      System.arraycopy(bytes, off, dst, offset + done, n);
      done += n;
    }
    return true;
  }

  private boolean copyIn(long address, byte[] src, int offset, int length, int mode) {
    java.util.Objects.checkFromIndexSize(offset, length, src.length);
    clearFault();
    if (length == 0) {
      return true;
    }
    // First pass: every page must accept the write, so that a failure leaves memory untouched.
    long last = address + length - 1;
    for (long a = address; ; a = (a | PAGE_MASK) + 1) {
      boolean ok = mode == MODE_ANY ? mapped(a, MODE_WRITE) != null : translate(a, mode) != null;
      if (!ok) {
        return false;
      }
      if ((a >>> PAGE_SHIFT) == (last >>> PAGE_SHIFT)) {
        break;
      }
    }
    int done = 0;
    while (done < length) {
      long a = address + done;
      Page p = table.get(a >>> PAGE_SHIFT);
      boolean fresh = p.data == null;
      byte[] bytes = p.writable();
      if (fresh) {
        invalidate(a >>> PAGE_SHIFT);
      }
      int off = (int) a & PAGE_MASK;
      int n = Math.min(length - done, PAGE_SIZE - off);
      System.arraycopy(src, offset + done, bytes, off, n);
      done += n;
    }
    return true;
  }

  @Override
  public String toString() {
    return "AddressSpace[asid=" + id + ", pages=" + table.size() + "]";
  }
}
