package org.vcpusim.cpu.asm;

import org.vcpusim.cpu.isa.SourceLocation;

/**
 * One definition of a symbol: a label (a position in a section), an assignment ({@code .set},
 * {@code .equ}, {@code =}) of an expression, or an extern given by the {@link Layout} (an absolute
 * address in a section of its own that the file does not contain). Numeric local labels ({@code
 * 1:}) are labels too, one definition per occurrence, with no name in the symbol table.
 *
 * <p><b>Caveat:</b> mutable during assembly ({@link #global}, {@link #sizeExpr}, the cycle guard).
 */
final class SymbolDef {
  enum Kind {
    LABEL,
    ASSIGNMENT,
    EXTERN
  }

  final String name;
  final Kind kind;
  final SourceLocation loc;

  // LABEL: the position before item itemIndex of section.
  final SectionBuilder section;
  final int itemIndex;
  private final Fold position;

  // ASSIGNMENT
  final Expr expr;
  private final Fold foldAtDefinition;

  // EXTERN: the address; section is a builder of its own that is never laid out
  final long externAddress;

  boolean global;
  Expr sizeExpr;
  private boolean evaluating;

  private SymbolDef(String name, Kind kind, SourceLocation loc, SectionBuilder section,
      int itemIndex, Fold position, Expr expr, Fold foldAtDefinition, long externAddress) {
    this.name = name;
    this.kind = kind;
    this.loc = loc;
    this.section = section;
    this.itemIndex = itemIndex;
    this.position = position;
    this.expr = expr;
    this.foldAtDefinition = foldAtDefinition;
    this.externAddress = externAddress;
  }

  static SymbolDef label(String name, SourceLocation loc, SectionBuilder section) {
    return new SymbolDef(name, Kind.LABEL, loc, section, section.items.size(),
        Fold.position(section, section.fragId, section.fragOffset), null, null, 0);
  }

  static SymbolDef assignment(String name, SourceLocation loc, Expr expr) {
    return new SymbolDef(name, Kind.ASSIGNMENT, loc, null, -1, null, expr, expr.fold(), 0);
  }

  /**
   * An extern symbol at {@code address}. Its value is relocatable in a section of its own, so it
   * is never a parse-time constant: operands using it get full-width fields, as an undefined
   * symbol does in gas.
   */
  static SymbolDef extern(String name, long address, SourceLocation loc) {
    SectionBuilder own = new SectionBuilder("extern symbol " + name, -1, loc, true, false, false,
        false);
    return new SymbolDef(name, Kind.EXTERN, loc, own, -1, Fold.UNKNOWN, null, null, address);
  }

  /** What gas knows of the value at parse time (see {@link Fold}). */
  Fold fold() {
    return kind == Kind.ASSIGNMENT ? foldAtDefinition : position;
  }

  /** The value after layout (or during relaxation, see {@link Evaluator}). */
  Value value(Evaluator ev) {
    if (kind == Kind.LABEL) {
      return new Value(ev.position(section, itemIndex), section);
    }
    if (kind == Kind.EXTERN) {
      return new Value(externAddress, section);
    }
    if (evaluating) {
      throw new AsmException(loc, "symbol '" + name + "' is defined in terms of itself",
          "an expression that does not refer back to '" + name + "'", name);
    }
    evaluating = true;
    try {
      return expr.eval(ev);
    } finally {
      evaluating = false;
    }
  }
}
