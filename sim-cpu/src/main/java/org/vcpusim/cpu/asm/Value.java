package org.vcpusim.cpu.asm;

/**
 * The value of an expression after layout: a number, relocatable when {@code section} is non-null
 * (a label's address, or an address plus a constant), absolute otherwise.
 *
 * <p>gas keeps the same distinction (gas manual, "Sections and Relocation": every expression is
 * absolute or relative to one section); it decides which operators are allowed: the difference of
 * two addresses in the same section is absolute, their sum is an error, and so is multiplying an
 * address.
 */
record Value(long value, SectionBuilder section) {
  static Value absolute(long v) {
    return new Value(v, null);
  }

  boolean isAbsolute() {
    return section == null;
  }
}
