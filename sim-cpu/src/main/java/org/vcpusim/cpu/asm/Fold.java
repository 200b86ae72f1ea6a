package org.vcpusim.cpu.asm;

/**
 * What gas knows about an expression at the moment it parses it, which decides the encoding it
 * picks: a {@code CONST} displacement or immediate may take the short (8-bit) form, anything else
 * gets the full-width field with a fixup (binutils {@code gas/config/tc-i386.c}: the short forms
 * are chosen only for {@code O_constant} operands).
 *
 * <p>An expression folds to a constant when it uses numbers, symbols already set to constants, or
 * the difference of two positions in the same section with only fixed-size contents between them
 * (gas {@code expr.c}, {@code frag_offset_fixed_p}): a relaxable branch or an alignment between two
 * labels makes their distance unknown until layout. {@code REL} is such a position: section,
 * fragment number and offset in the fragment.
 */
final class Fold {
  enum Kind {
    CONST,
    REL,
    UNKNOWN
  }

  static final Fold UNKNOWN = new Fold(Kind.UNKNOWN, 0, null, 0);

  final Kind kind;
  /** CONST: the value; REL: the offset in the fragment. */
  final long value;
  final SectionBuilder section;
  final int frag;

  private Fold(Kind kind, long value, SectionBuilder section, int frag) {
    this.kind = kind;
    this.value = value;
    this.section = section;
    this.frag = frag;
  }

  static Fold constant(long v) {
    return new Fold(Kind.CONST, v, null, 0);
  }

  static Fold position(SectionBuilder section, int frag, long offset) {
    return new Fold(Kind.REL, offset, section, frag);
  }

  boolean isConst() {
    return kind == Kind.CONST;
  }

  Fold plus(long d) {
    return kind == Kind.UNKNOWN ? this : new Fold(kind, value + d, section, frag);
  }
}
