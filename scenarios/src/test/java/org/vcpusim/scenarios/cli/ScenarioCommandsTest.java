package org.vcpusim.scenarios.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vcpusim run}, {@code compare} and {@code list} through the same command line users type:
 * the outputs they write, their exit codes (0 checks held, 1 a check failed, 2 bad input with
 * {@code file:line:column} and no stack trace) and what {@code list} shows.
 */
class ScenarioCommandsTest {
  /** The project root seen from the module's directory, where surefire runs. */
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private record Result(int code, String out, String err) {}

  private static Result execute(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** A copy of a library file with its duration replaced, in {@code dir}. */
  private static Path shortened(Path dir, String name, String duration) throws Exception {
    String text = Files.readString(ROOT.resolve("scenarios/library/" + name + ".yaml"),
        StandardCharsets.UTF_8);
    String changed = Pattern.compile("(?m)^duration:.*$").matcher(text)
        .replaceFirst("duration: " + duration);
    assertFalse(changed.equals(text), "the duration line was replaced");
    Path f = dir.resolve(name + ".yaml");
    Files.writeString(f, changed, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void runWritesTheThreeOutputsAndExitsZeroWhenEveryCheckHeld(@TempDir Path dir)
      throws Exception {
    Path file = shortened(dir, "allocator-microbench", "{ops: 300}");
    Path out = dir.resolve("out");
    Result r = execute("run", file.toString(), "--out", out.toString());
    assertEquals(ExitCodes.OK, r.code, r.out + r.err);
    for (String f : new String[] {"result.json", "result.csv", "report.md", "report.html"}) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    assertFalse(Files.exists(out.resolve("trace.json")), "no trace unless asked");
    assertTrue(r.out.contains("report: " + out.resolve("report.html")), r.out);
    assertTrue(r.out.contains("gs-mm_cid"), r.out);
  }

  @Test
  void compareRunsTheNamedVariantsOnly(@TempDir Path dir) throws Exception {
    Path file = shortened(dir, "allocator-microbench", "{ops: 200}");
    Result r = execute("compare", file.toString(), "--variants", "rseq-mm_cid,gs-mm_cid",
        "--out", dir.resolve("o").toString(), "--trace");
    assertEquals(ExitCodes.OK, r.code, r.out + r.err);
    assertTrue(r.out.contains("rseq-mm_cid") && r.out.contains("gs-mm_cid"), r.out);
    assertFalse(r.out.contains("rseq-cpu-cached"), r.out);
    assertTrue(Files.exists(dir.resolve("o/trace.json")));
  }

  @Test
  void aHazardThatIsFoundExitsOne(@TempDir Path dir) throws Exception {
    Path file = shortened(dir, "gs-hazard-no-origin", "{ops: 200}");
    Result r = execute("run", file.toString(), "--out", dir.resolve("o").toString());
    assertEquals(ExitCodes.CHECK_FAILED, r.code, r.out + r.err);
    assertTrue(r.out.contains("fail (as expected)"), r.out);
    assertTrue(Files.exists(dir.resolve("o/report.html")), "the report is written on failure");
  }

  @Test
  void badInputIsExitTwoWithFileLineAndColumnAndNoStackTrace(@TempDir Path dir)
      throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "scenario: x\nmachine: {cpus: 1, colour: red}\n",
        StandardCharsets.UTF_8);
    Result r = execute("run", bad.toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code, r.out + r.err);
    assertTrue(r.err.contains(bad + ":2:20:"), r.err);
    assertFalse(r.err.contains("\tat "), "no stack trace: " + r.err);
    Result missing = execute("run", dir.resolve("none.yaml").toString());
    assertEquals(ExitCodes.BAD_INPUT, missing.code);
    assertTrue(missing.err.contains("no such scenario file"), missing.err);
  }

  @Test
  void listShowsWhatIsBundled() {
    String saved = System.getProperty(ListCommand.HOME_PROPERTY);
    System.setProperty(ListCommand.HOME_PROPERTY, ROOT.toString());
    try {
      Result s = execute("list", "scenarios");
      assertEquals(ExitCodes.OK, s.code, s.err);
      assertTrue(s.out.contains("allocator-microbench") && s.out.contains("gs-hazard-no-origin"),
          s.out);
    } finally {
      if (saved == null) {
        System.clearProperty(ListCommand.HOME_PROPERTY);
      } else {
        System.setProperty(ListCommand.HOME_PROPERTY, saved);
      }
    }
    assertTrue(execute("list", "allocators").out
        .contains("cpu\nmm_cid-6.19\nmm_cid-6.4\nvcpu-2022"));
    assertTrue(execute("list", "variants").out
        .contains("rseq-cpu\nrseq-mm_cid\nrseq-cpu-cached\ngs-mm_cid"));
    assertTrue(execute("list", "profiles").out.contains("zen5"));
    assertEquals(ExitCodes.BAD_INPUT, execute("list", "nothing").code);
  }
}
