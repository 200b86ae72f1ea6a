package org.vcpusim.cpu.asm;

/**
 * How positions are valued when expressions are evaluated: during branch relaxation as offsets in
 * their section, after layout as absolute addresses. Differences within one section are the same
 * either way.
 */
interface Evaluator {
  /** The value of the position before item {@code itemIndex} of {@code section}. */
  long position(SectionBuilder section, int itemIndex);
}
