package org.vcpusim.cpu.mem;

import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Section;

/**
 * Puts an {@link AssembledProgram} into an {@link AddressSpace}, as the kernel's ELF loader does
 * for a static non-PIE image: every non-empty section is mapped over the whole pages it covers with
 * the permissions recorded in its {@link Section} ({@code .text} r-x, {@code .rodata} r--, {@code
 * .data}/{@code .bss} rw-, a custom {@code .section NAME, "flags"} as its flags say) and its bytes
 * are copied in exactly, so data directives (e.g. the rseq signature before an abort label) are real
 * memory.
 *
 * <p>When two sections share a page, the page gets the union of their permissions (a linker would
 * have merged them into one segment). Pages mapped before loading that a section overlaps are
 * treated the same way.
 */
public final class Loader {
  private Loader() {}

  /**
   * Maps and fills every section of {@code program}.
   *
   * @throws IllegalArgumentException when a section lies outside the user half of the address
   *     space
   */
  public static void load(AssembledProgram program, AddressSpace space) {
    for (Section section : program.sections()) {
      byte[] bytes = section.bytes();
      if (bytes.length == 0) {
        continue;
      }
      int perms = AddressSpace.permissions(
          section.readable(), section.writable(), section.executable());
      long first = section.address() & -AddressSpace.PAGE_SIZE;
      long end = section.end();
      for (long page = first; page < end; page += AddressSpace.PAGE_SIZE) {
        int existing = space.permissionsAt(page);
        if (existing < 0) {
          space.map(page, AddressSpace.PAGE_SIZE, perms);
        } else if ((existing | perms) != existing) {
          space.protect(page, AddressSpace.PAGE_SIZE, existing | perms);
        }
      }
      if (!space.writeIgnoringPermissions(section.address(), bytes, 0, bytes.length)) {
        throw new IllegalStateException("section " + section.name() + " could not be written at "
            + Long.toHexString(space.faultAddress()));
      }
    }
  }
}
