package org.vcpusim.cpu.asm;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where the assembler places its sections: the image is static and non-PIE, as a {@code ld
 * -static} link of one object would be.
 *
 * <p>Rule: {@code .text} starts at {@link #textAddress()} (default {@code 0x401000},
 * the x86-64 {@code ld} default for a non-PIE executable's first code page); every further section,
 * in order of first appearance in the source, starts at the next multiple of {@link
 * #sectionAlignment()} (default 4096, one page) after the end of the previous one, or of its own
 * larger alignment when it asks for one. A section can be pinned to an address with {@link
 * #withSectionAddress(String, long)}; sections after it continue from its end. Sections must not
 * share a page, so each gets its own page permissions.
 *
 * <p><b>Extern symbols.</b> {@link #withExternSymbol(String, long)} predefines a symbol at an
 * absolute address outside the source, as a static link against a library would resolve it (the
 * effect of {@code ld --defsym NAME=ADDRESS} on a symbol the object left undefined): a runner
 * provides glibc's {@code __rseq_offset} this way. Inside the source such a symbol is an address in
 * no section of the file: {@code sym(%rip)} is encoded {@code sym - next_ip}, {@code sym+8} is an
 * address, {@code sym - label} is an error (the gas rule for a symbol of another section), and its
 * displacements and immediates take the full-width field (gas never shortens an operand whose
 * value is unknown when it parses it). A source that defines a name given here (a label, {@code
 * .set}, {@code .equ}, {@code =}) or gives it a {@code .size} is rejected with an {@link
 * AsmException}. The symbol table of the output lists every extern symbol as a global absolute
 * symbol (section null).
 *
 * <p>Immutable; the {@code with...} methods return a modified copy.
 */
public final class Layout {
  /** Default address of {@code .text}. */
  public static final long DEFAULT_TEXT_ADDRESS = 0x401000L;

  /** Default gap alignment between sections: one 4 KiB page. */
  public static final long DEFAULT_SECTION_ALIGNMENT = 4096L;

  private static final Layout DEFAULTS =
      new Layout(
          DEFAULT_TEXT_ADDRESS, DEFAULT_SECTION_ALIGNMENT, new TreeMap<>(), new TreeMap<>());

  private final long textAddress;
  private final long sectionAlignment;
  private final SortedMap<String, Long> pinned;
  private final SortedMap<String, Long> externs;

  private Layout(long textAddress, long sectionAlignment, SortedMap<String, Long> pinned,
      SortedMap<String, Long> externs) {
    this.textAddress = textAddress;
    this.sectionAlignment = sectionAlignment;
    this.pinned = Collections.unmodifiableSortedMap(pinned);
    this.externs = Collections.unmodifiableSortedMap(externs);
  }

  /** {@code .text} at 0x401000, further sections page-aligned after it. */
  public static Layout defaults() {
    return DEFAULTS;
  }

  /** A copy with {@code .text} at {@code address} (non-negative, section-aligned). */
  public Layout withTextAddress(long address) {
    checkAddress(".text", address, sectionAlignment);
    return new Layout(address, sectionAlignment, new TreeMap<>(pinned), new TreeMap<>(externs));
  }

  /** A copy with another gap alignment between sections (a power of two, at least 1). */
  public Layout withSectionAlignment(long alignment) {
    if (alignment < 1 || Long.bitCount(alignment) != 1) {
      throw new IllegalArgumentException("section alignment must be a power of two: " + alignment);
    }
    return new Layout(textAddress, alignment, new TreeMap<>(pinned), new TreeMap<>(externs));
  }

  /**
   * A copy that places section {@code name} at {@code address} instead of after its predecessor.
   * Pinning {@code .text} is the same as {@link #withTextAddress(long)}.
   */
  public Layout withSectionAddress(String name, long address) {
    if (name.equals(".text")) {
      return withTextAddress(address);
    }
    checkAddress(name, address, 1);
    TreeMap<String, Long> copy = new TreeMap<>(pinned);
    copy.put(name, address);
    return new Layout(textAddress, sectionAlignment, copy, new TreeMap<>(externs));
  }

  /**
   * A copy in which symbol {@code name} is predefined at {@code address} (see the class comment),
   * replacing an earlier extern of the same name.
   *
   * @param name a gas symbol name: a letter, {@code _} or {@code .} followed by letters, digits,
   *     {@code _ . $}
   * @param address the symbol's value, a non-negative address
   * @throws IllegalArgumentException for a name that is not a symbol name or a negative address
   */
  public Layout withExternSymbol(String name, long address) {
    if (!isSymbolName(name)) {
      throw new IllegalArgumentException("not a symbol name: '" + name + "'");
    }
    if (address < 0) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "bad address %#x for extern symbol %s", address, name));
    }
    TreeMap<String, Long> copy = new TreeMap<>(externs);
    copy.put(name, address);
    return new Layout(textAddress, sectionAlignment, new TreeMap<>(pinned), copy);
  }

  /** The predefined symbols and their addresses, by name. */
  public Map<String, Long> externSymbols() {
    return externs;
  }

  private static boolean isSymbolName(String name) {
    if (name == null || name.isEmpty() || !Cursor.isIdentStart(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      if (!Cursor.isIdentPart(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Address of {@code .text}. */
  public long textAddress() {
    return textAddress;
  }

  /** Alignment of the start of each section placed after another one. */
  public long sectionAlignment() {
    return sectionAlignment;
  }

  /** The pinned address of section {@code name}, if any ({@code .text} is always pinned). */
  public OptionalLong pinnedAddress(String name) {
    if (name.equals(".text")) {
      return OptionalLong.of(textAddress);
    }
    Long a = pinned.get(name);
    return a == null ? OptionalLong.empty() : OptionalLong.of(a);
  }

  /** All pinned sections other than {@code .text}, by name. */
  public Map<String, Long> pinnedSections() {
    return pinned;
  }

  private static void checkAddress(String name, long address, long alignment) {
    if (address < 0 || (address & (alignment - 1)) != 0) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "bad address %#x for section %s", address, name));
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "Layout[.text=%#x, sectionAlignment=%d, pinned=%s, externs=%s]",
        textAddress,
        sectionAlignment,
        pinned,
        externs);
  }
}
