package org.vcpusim.cpu.asm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A golden file recorded from GNU as + ld by {@code src/test/scripts/asm_golden.py}: expected
 * section contents at their addresses, symbol values and the extent of each instruction line.
 */
final class GoldenFile {
  record ExpectedSection(String name, long address, byte[] bytes) {}

  record ExpectedLine(int line, long start, long end) {}

  final List<ExpectedSection> sections = new ArrayList<>();
  final Map<String, Long> symbols = new LinkedHashMap<>();
  final List<ExpectedLine> lines = new ArrayList<>();
  /** Lines whose instructions a .rept/.irp body assembles several times (no extent recorded). */
  final Set<Integer> repeatedLines = new TreeSet<>();

  static String resource(String path) {
    try (InputStream in = GoldenFile.class.getResourceAsStream("/asm/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("missing test resource asm/" + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long hex(String s) {
    return Long.parseUnsignedLong(s.substring(2), 16);
  }

  static GoldenFile load(String sample) {
    GoldenFile g = new GoldenFile();
    String text = resource("golden/" + sample.replaceAll("\\.s$", "") + ".golden");
    for (String row : text.split("\n")) {
      if (row.isBlank() || row.startsWith("#")) {
        continue;
      }
      String[] f = row.split(" ");
      switch (f[0]) {
        case "section":
          g.sections.add(new ExpectedSection(f[1], hex(f[2]),
              f.length > 4 ? HexFormat.of().parseHex(f[4]) : new byte[0]));
          break;
        case "symbol":
          g.symbols.put(f[1], hex(f[2]));
          break;
        case "repeated":
          g.repeatedLines.add(Integer.parseInt(f[1]));
          break;
        case "insn":
          g.lines.add(new ExpectedLine(Integer.parseInt(f[1]), hex(f[2]), hex(f[3])));
          break;
        default:
          throw new IllegalArgumentException("bad golden row: " + row);
      }
    }
    return g;
  }
}
