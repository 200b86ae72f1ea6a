package org.vcpusim.cpu.isa;

/**
 * The segment override of a memory operand. In 64-bit mode CS, DS, ES and SS have base 0 and are
 * treated as {@link #NONE}; only FS and GS carry a base (Intel SDM vol. 1, 3.4.2.1), which is what
 * glibc's TLS ({@code %fs:}) and the GS mode under review ({@code %gs:}) rely on.
 */
public enum Segment {
  NONE,
  FS,
  GS
}
