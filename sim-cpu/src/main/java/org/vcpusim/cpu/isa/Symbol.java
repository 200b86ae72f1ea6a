package org.vcpusim.cpu.isa;

/**
 * A symbol of an assembled program after layout.
 *
 * @param name the symbol's name
 * @param value its value: an absolute address for labels, any constant for {@code .set}/{@code .equ}
 * @param section the section it is defined in, or null for an absolute symbol
 * @param global declared with {@code .globl}
 * @param size the {@code .size} given, or 0
 */
public record Symbol(String name, long value, String section, boolean global, long size) {}
