package org.vcpusim.cpu.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Section;

/**
 * Compares the assembler with what GNU as 2.40 and ld produce for the same source, as recorded in
 * {@code src/test/resources/asm/golden/*.golden} by {@code src/test/scripts/asm_golden.py}: every
 * section byte at its address, every symbol value, and where each source line's instructions start
 * and end (so every instruction length, and every encoding choice gas makes: short immediates,
 * displacement sizes, branch relaxation, alignment NOPs). The test needs no toolchain.
 */
class AssemblerGoldenTest {

  @ParameterizedTest
  @ValueSource(strings = {
    "encoding-corpus.s", "rseq-descriptor.s", "tcmalloc-pop.s", "librseq-counter.s",
    "code-padding.s", "repeat.s"
  })
  void matchesGnuAsAndLd(String sample) {
    String source = GoldenFile.resource(sample);
    GoldenFile golden = GoldenFile.load(sample);
    AssembledProgram p = Assembler.assemble(source, sample);
    String[] lines = source.split("\n", -1);

    Map<Integer, long[]> actual = new TreeMap<>();
    for (Instruction i : p.instructions()) {
      if (i.text.endsWith("# alignment padding")) {
        continue;
      }
      long[] span = actual.computeIfAbsent(i.source.line(), k -> new long[] {i.address, 0});
      span[0] = Math.min(span[0], i.address);
      span[1] = Math.max(span[1], i.nextAddress());
    }
    List<String> problems = new ArrayList<>();
    for (GoldenFile.ExpectedLine e : golden.lines) {
      long[] a = actual.remove(e.line());
      if (a == null || a[0] != e.start() || a[1] != e.end()) {
        problems.add(String.format(Locale.ROOT, "line %d '%s': expected [%#x, %#x) (%d bytes) got %s",
            e.line(), lines[e.line() - 1].trim(), e.start(), e.end(), e.end() - e.start(),
            a == null ? "no instruction"
                : String.format(Locale.ROOT, "[%#x, %#x) (%d bytes)", a[0], a[1], a[1] - a[0])));
      }
    }
    // A repeated body line is assembled COUNT times (maybe 0): its bytes are in the sections.
    actual.keySet().removeAll(golden.repeatedLines);
    for (Map.Entry<Integer, long[]> extra : actual.entrySet()) {
      problems.add("line " + extra.getKey() + " '" + lines[extra.getKey() - 1].trim()
          + "': instruction not in the golden file");
    }
    for (GoldenFile.ExpectedSection es : golden.sections) {
      Section s = p.sections().stream().filter(x -> x.name().equals(es.name())).findFirst()
          .orElse(null);
      if (s == null) {
        problems.add("missing section " + es.name());
        continue;
      }
      if (s.address() != es.address()) {
        problems.add(String.format(Locale.ROOT, "section %s at %#x, expected %#x", es.name(),
            s.address(), es.address()));
      }
      byte[] b = s.bytes();
      if (b.length != es.bytes().length) {
        problems.add("section " + es.name() + " has " + b.length + " bytes, expected "
            + es.bytes().length);
      }
      int shown = 0;
      for (int k = 0; k < Math.min(b.length, es.bytes().length) && shown < 10; k++) {
        if (b[k] != es.bytes()[k]) {
          Instruction at = instructionCovering(p, s.address() + k);
          int from = at == null ? k : (int) (at.address - s.address());
          int to = at == null ? k + 1 : from + at.length;
          problems.add(String.format(Locale.ROOT, "section %s byte %#x: %s: got %s expected %s",
              es.name(), s.address() + k, at == null ? "data" : at.source + " " + at.text,
              hex(b, from, to), hex(es.bytes(), from, Math.min(to, es.bytes().length))));
          k = to - 1;
          shown++;
        }
      }
    }
    for (Section s : p.sections()) {
      boolean expected = golden.sections.stream().anyMatch(x -> x.name().equals(s.name()));
      if (!expected && s.bytes().length > 0) {
        problems.add("unexpected non-empty section " + s.name());
      }
    }
    for (Map.Entry<String, Long> sym : golden.symbols.entrySet()) {
      Long v = p.symbol(sym.getKey()).map(x -> x.value()).orElse(null);
      if (v == null || v.longValue() != sym.getValue()) {
        problems.add(String.format(Locale.ROOT, "symbol %s = %s, expected %#x", sym.getKey(),
            v == null ? "undefined" : "0x" + Long.toHexString(v), sym.getValue()));
      }
    }
    assertFalse(golden.lines.isEmpty() && golden.sections.isEmpty(), "empty golden file");
    if (!problems.isEmpty()) {
      fail(problems.size() + " differences from GNU as/ld, first ones:\n  "
          + String.join("\n  ", problems.subList(0, Math.min(40, problems.size()))));
    }
    assertTrue(p.instructionCount() >= golden.lines.size());
    assertEquals(golden.sections.size(),
        p.sections().stream().filter(x -> x.bytes().length > 0).count());
  }

  private static Instruction instructionCovering(AssembledProgram p, long address) {
    for (Instruction i : p.instructions()) {
      if (address >= i.address && address < i.nextAddress()) {
        return i;
      }
    }
    return null;
  }

  private static String hex(byte[] b, int from, int to) {
    return HexFormat.ofDelimiter(" ").formatHex(b, Math.max(0, from), Math.min(to, b.length));
  }
}
