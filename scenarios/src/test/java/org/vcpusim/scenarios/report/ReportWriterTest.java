package org.vcpusim.scenarios.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcpusim.scenarios.result.RunResult;
import org.vcpusim.scenarios.result.SampleResults;
import org.vcpusim.scenarios.result.VariantResult;
import org.vcpusim.scenarios.result.Violation;

class ReportWriterTest {
  @TempDir Path tmp;

  @Test
  void sameResultGivesIdenticalBytesForAllThreeFilesUnderAnyLocale() throws IOException {
    RunResult r = SampleResults.fourVariants();
    Locale saved = Locale.getDefault();
    List<List<byte[]>> runs = new ArrayList<>();
    try {
      int i = 0;
      for (String tag : List.of("en-US", "en-US", "de-DE", "hi-IN-u-nu-deva")) {
        Locale.setDefault(Locale.forLanguageTag(tag));
        List<Path> files = ReportWriter.writeAll(tmp.resolve("run" + i++), r);
        List<byte[]> bytes = new ArrayList<>();
        for (Path f : files) {
          bytes.add(Files.readAllBytes(f));
        }
        runs.add(bytes);
      }
    } finally {
      Locale.setDefault(saved);
    }
    for (List<byte[]> run : runs) {
      for (int f = 0; f < 3; f++) {
        assertArrayEquals(runs.get(0).get(f), run.get(f), "file " + f);
      }
    }
  }

  @Test
  void writesWholeFilesAndLeavesNoTemporaries() throws IOException {
    Path dir = tmp.resolve("out/nested");
    List<Path> files = ReportWriter.writeAll(dir, SampleResults.fourVariants());
    assertEquals(List.of("result.json", "result.csv", "report.md", "report.html"),
        files.stream().map(p -> p.getFileName().toString()).toList());
    ReportWriter.writeAll(dir, SampleResults.fourVariants());
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of("report.html", "report.md", "result.csv", "result.json"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertTrue(Files.readString(dir.resolve("report.html")).endsWith("</html>\n"));
    assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("result.json"))), "readable like any output");
  }

  @Test
  void htmlIsSelfContainedWithEveryChartInline() {
    String html = HtmlReport.render(SampleResults.fourVariants());
    String withoutNamespaces = html.replaceAll("xmlns(:\\w+)?=(['\"])[^'\"]*\\2", "");
    assertFalse(withoutNamespaces.contains("http://"), "network reference");
    assertFalse(withoutNamespaces.contains("https://"), "network reference");
    for (String forbidden : List.of("<script", "<link", "<img", "<iframe", "@import", "url(http")) {
      assertFalse(html.contains(forbidden), forbidden);
    }
    assertEquals(3, count(html, "<svg"), "three inline charts");
    for (String id : List.of("chart-cycles", "chart-footprint", "chart-aborts")) {
      assertTrue(html.contains("id='" + id + "'"), id);
    }
    // Fixed defs prefixes: ids in the charts never come from JFreeSVG's nanoTime default.
    Matcher m = Pattern.compile("id=['\"]([^'\"]+)['\"]").matcher(html);
    while (m.find()) {
      assertTrue(m.group(1).startsWith("chart-") || List.of("verdicts", "meaning", "charts",
          "table", "configuration").contains(m.group(1)), m.group(1));
    }
  }

  @Test
  void reportNamesEveryViolationWithItsExcerpt() {
    RunResult r = SampleResults.fourVariants();
    String md = MarkdownReport.render(r);
    String html = HtmlReport.render(r);
    int seen = 0;
    for (VariantResult v : r.variants()) {
      for (Violation x : v.violations()) {
        String headline = ViolationText.headline(x);
        assertTrue(md.contains(headline), headline);
        assertTrue(html.contains(HtmlReport.esc(headline)), headline);
        for (String line : x.excerpt()) {
          assertTrue(md.contains("    " + line + "\n"), line);
          assertTrue(html.contains(HtmlReport.esc(line)), line);
        }
        seen++;
      }
    }
    assertEquals(2, seen);
    assertTrue(md.contains("per_id_region at 1234.567 µs on cpu 1, task 7"), md);
    assertTrue(md.contains("object_conservation at 9000.000 µs (end of run)"), md);
    assertTrue(md.contains("**failed as expected**"), md);
    assertTrue(html.contains("&lt;while held&gt;"), "messages are escaped");
    assertTrue(md.contains("# \"quoted\" & <angled>"), "configuration echoed verbatim");
    assertTrue(html.contains("# &quot;quoted&quot; &amp; &lt;angled&gt;"), "and escaped");
  }

  @Test
  void wordsQuoteTheTableAndDerivedFiguresAreRight() {
    ReportModel m = new ReportModel(SampleResults.fourVariants());
    List<String> words = AbiReading.sentences(m);
    int gs = 3;
    int mmCid = 1;
    String saving = find(words, "`gs-mm_cid` takes", "for `rseq-mm_cid`");
    assertTrue(saving.contains(m.cell("cycles_per_op", gs) + " cycles per op against "
        + m.cell("cycles_per_op", mmCid)), saving);
    double saved = Double.parseDouble(m.cell("cycles_per_op", mmCid))
        - Double.parseDouble(m.cell("cycles_per_op", gs));
    assertTrue(saving.contains("it saves " + ReportNumbers.perOp(saved) + " cycles per op"),
        saving);
    assertTrue(saving.contains("executes " + m.cell("loads_per_op", gs) + " loads per op against "
        + m.cell("loads_per_op", mmCid) + " (2.00 fewer)"), saving);

    String cost = find(words, "`gs-mm_cid` made", "GS-base writes");
    long writes = Long.parseLong(m.cell("gs_writes", gs));
    long ops = Long.parseLong(m.cell("ops", gs));
    assertTrue(cost.contains("made " + writes + " GS-base writes in " + ops + " ops (5.00 per 1000"),
        cost);
    // 500 writes x 40 cycles / 100000 ops = 0.20; x 110 = 0.55; charged 500 x 40 / 1e5.
    assertTrue(cost.contains("40 cycles per write with WRGSBASE that is 0.20 cycles per op"), cost);
    assertTrue(cost.contains("110 cycles per write with WRMSR 0.55 cycles per op"), cost);
    assertTrue(cost.contains("charged " + m.cell("cycle_stack.gs_write per op", gs)), cost);
    String share = find(words, "Against the", "take back");
    // 0.20 / 7.50 = 2.7 %, 0.55 / 7.50 = 7.3 %.
    assertTrue(share.contains("Against the 7.50 cycles per op"), share);
    assertTrue(share.contains("take back 2.7% with WRGSBASE and 7.3% with WRMSR"), share);

    String footprint = find(words, "`rseq-cpu` (indexed by CPU number)", "per-id regions");
    assertTrue(footprint.contains("(" + m.cell("footprint_bytes", 0) + " bytes)"), footprint);
    assertTrue(footprint.contains("4.0 times as much"), footprint);
    String verdicts = words.get(0);
    assertEquals("All 4 variants ended with the verdict the scenario expects.", verdicts);
  }

  @Test
  void runsWithoutAbortsGetASentenceInsteadOfAnEmptyAbortChart() {
    RunResult all = SampleResults.fourVariants();
    List<VariantResult> calm = new ArrayList<>();
    for (VariantResult v : all.variants()) {
      java.util.TreeMap<String, Long> zero = new java.util.TreeMap<>();
      v.rseqAborts().keySet().forEach(k -> zero.put(k, 0L));
      calm.add(new VariantResult(v.name(), v.abi(), v.cidAllocator(), v.idUpdate(), v.ops(),
          v.cyclesPerOp(), v.cyclesPerOpP50(), v.cyclesPerOpP99(), v.instructionsPerOp(),
          v.loadsPerOp(), zero, v.cidChanges(), v.maxCid(), v.gsWrites(), v.footprintBytes(),
          v.cycleStack(), v.violations(), v.notes()));
    }
    String calmHtml = HtmlReport.render(new RunResult(all.scenario(), all.seed(), calm,
        all.host(), all.echo()));
    assertFalse(calmHtml.contains("chart-aborts"), "no abort chart without aborts");
    assertTrue(calmHtml.contains("No variant aborted an rseq critical section"));
    assertTrue(HtmlReport.render(all).contains("chart-aborts"), "the chart when there are aborts");
  }

  @Test
  void sentencesNeedingAnAbsentVariantAreLeftOut() {
    RunResult all = SampleResults.fourVariants();
    RunResult noMmCid = new RunResult(all.scenario(), all.seed(),
        all.variants().stream().filter(v -> !v.abi().equals("rseq-mm_cid")).toList(), all.host(),
        all.echo());
    List<String> words = AbiReading.sentences(new ReportModel(noMmCid));
    assertTrue(words.stream().noneMatch(w -> w.contains("rseq-mm_cid")), words.toString());
    assertTrue(words.stream().noneMatch(w -> w.startsWith("Against the")), words.toString());
    RunResult noGs = new RunResult(all.scenario(), all.seed(),
        all.variants().stream().filter(v -> !v.abi().equals("gs-mm_cid")).toList(), all.host(),
        all.echo());
    assertTrue(AbiReading.sentences(new ReportModel(noGs)).stream()
        .noneMatch(w -> w.contains("gs-mm_cid") || w.contains("GS")));
  }

  private static String find(List<String> words, String start, String contains) {
    return words.stream().filter(w -> w.startsWith(start) && w.contains(contains)).findFirst()
        .orElseThrow(() -> new AssertionError("no sentence " + start + " ... " + contains
            + " in " + words));
  }

  private static int count(String s, String sub) {
    int n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
      n++;
    }
    return n;
  }
}
