package org.vcpusim.cpu.isa;

/**
 * One output section of an assembled program, placed at its final address: its bytes are exactly
 * what the loader copies into the address space (for {@code .bss}, zeros).
 *
 * @param name e.g. {@code .text}, {@code .data}, {@code __rseq_cs}
 * @param address linear address of the first byte (page-aligned by the layout)
 * @param bytes the contents; the array is owned by the section and must not be modified
 * @param alignment the largest alignment requested inside it
 * @param readable, writable, executable page permissions the loader gives it
 */
public record Section(
    String name,
    long address,
    byte[] bytes,
    int alignment,
    boolean readable,
    boolean writable,
    boolean executable) {

  /** One past the last byte. */
  public long end() {
    return address + bytes.length;
  }

  /** True when {@code addr} lies inside the section. */
  public boolean contains(long addr) {
    return addr >= address && addr < end();
  }
}
