package org.vcpusim.cpu.exec;

import java.util.Locale;
import org.vcpusim.cpu.mem.AccessKind;
import org.vcpusim.cpu.mem.MemoryFault;

/**
 * The exception a core raised: its kind, the RIP of the faulting instruction (which did not
 * execute), and for memory faults the address, the access and the {@link MemoryFault}. Kinds follow
 * Intel SDM vol. 3A, 6.15: page faults (#PF) for unmapped or protected pages, general protection
 * (#GP) for non-canonical addresses (also #SS-class stack ones, which Linux delivers the same way),
 * invalid opcode (#UD) for {@code ud1}/{@code ud2}, an invalid {@code lock} prefix and instructions
 * the CPU profile lacks, divide error (#DE).
 *
 * <p><b>Caveats:</b> each core owns one instance and overwrites it at the next fault; use {@link
 * #copy()} to keep one. Not thread-safe.
 */
public final class Trap {
  /** The exception vector class. */
  public enum Kind {
    /** #PF. */
    PAGE_FAULT,
    /** #GP. */
    GENERAL_PROTECTION,
    /** #UD. */
    INVALID_OPCODE,
    /** #DE. */
    DIVIDE_ERROR
  }

  private Kind kind;
  private long rip;
  private long address;
  private AccessKind access;
  private MemoryFault memoryFault;

  void set(Kind kind, long rip, long address, AccessKind access, MemoryFault memoryFault) {
    this.kind = kind;
    this.rip = rip;
    this.address = address;
    this.access = access;
    this.memoryFault = memoryFault;
  }

  /** The exception; null before the first fault. */
  public Kind kind() {
    return kind;
  }

  /** Address of the instruction that faulted (RIP was left there). */
  public long rip() {
    return rip;
  }

  /**
   * For a memory fault, the first byte that could not be accessed (what CR2 holds for #PF); for
   * other kinds, the same as {@link #rip()}.
   */
  public long address() {
    return address;
  }

  /** For a memory fault, what the access tried to do; null otherwise. */
  public AccessKind access() {
    return access;
  }

  /** For a memory fault, why it failed; null otherwise. */
  public MemoryFault memoryFault() {
    return memoryFault;
  }

  /** An independent copy. */
  public Trap copy() {
    Trap t = new Trap();
    t.set(kind, rip, address, access, memoryFault);
    return t;
  }

  @Override
  public String toString() {
    if (access == null) {
      return String.format(Locale.ROOT, "%s at rip=%#x", kind, rip);
    }
    return String.format(Locale.ROOT, "%s at rip=%#x: %s %#x (%s)", kind, rip,
        access.name().toLowerCase(Locale.ROOT), address, memoryFault);
  }
}
