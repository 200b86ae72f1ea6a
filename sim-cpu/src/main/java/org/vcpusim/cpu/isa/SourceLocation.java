package org.vcpusim.cpu.isa;

/**
 * Where a piece of assembly came from: file, 1-based line and 1-based column. Printed as
 * {@code file:line:column}, the form editors and compilers use.
 */
public record SourceLocation(String file, int line, int column) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
