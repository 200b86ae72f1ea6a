package org.vcpusim.cpu.asm;

import org.vcpusim.cpu.isa.SourceLocation;

/** What the expression parser needs from the assembler: symbol binding and the location counter. */
interface ExprContext {
  /** A reference to symbol {@code name}, bound now if it is already defined. */
  Expr.Ref reference(String name, SourceLocation loc);

  /** A reference to numeric local label {@code number}, the next one ({@code 1f}) or previous. */
  Expr.Ref localReference(long number, boolean forward, SourceLocation loc, String spelling);

  /** The location counter plus {@code delta} bytes (for later values of one data directive). */
  Expr.Dot dot(SourceLocation loc, long delta);
}
