package org.vcpusim.cpu.asm;

/**
 * One statement of assembly source: the text between line ends and {@code ;} separators, with
 * comments already blanked out (replaced by spaces so columns stay true).
 *
 * @param line 1-based line number
 * @param column 1-based column of {@code text.charAt(0)}
 * @param text the statement text, possibly with leading and trailing blanks
 */
record Statement(int line, int column, String text) {}
