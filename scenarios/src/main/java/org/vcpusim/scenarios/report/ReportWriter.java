package org.vcpusim.scenarios.report;

import java.nio.file.Path;
import java.util.List;
import org.vcpusim.scenarios.result.AtomicFiles;
import org.vcpusim.scenarios.result.ResultCsvWriter;
import org.vcpusim.scenarios.result.ResultJsonWriter;
import org.vcpusim.scenarios.result.RunResult;

/**
 * Writes a run's outputs into a directory: {@value #RESULT_JSON}, {@value #RESULT_CSV}, {@value
 * #REPORT_MD} and {@value #REPORT_HTML}. All are rendered in memory first (a rendering failure
 * writes nothing), then each is written whole-or-absent by {@link AtomicFiles} (temporary name,
 * atomic rename).
 *
 * <p><b>Caveats:</b> the three renames are separate: a crash between them can leave a new {@code
 * result.json} beside an old report. Each file on its own is always complete.
 */
public final class ReportWriter {
  /** The machine-readable result, schema 1. */
  public static final String RESULT_JSON = "result.json";

  /** The scalar figures, one row per variant ({@link ResultCsvWriter}). */
  public static final String RESULT_CSV = "result.csv";

  /** The Markdown report. */
  public static final String REPORT_MD = "report.md";

  /** The self-contained HTML report. */
  public static final String REPORT_HTML = "report.html";

  private ReportWriter() {}

  /**
   * Writes {@code result.json}, {@code result.csv}, {@code report.md} and {@code report.html} for
   * {@code result} into {@code dir} (created if missing), replacing earlier ones.
   *
   * @return the paths written, in that order
   * @throws java.io.UncheckedIOException when a file cannot be written
   */
  public static List<Path> writeAll(Path dir, RunResult result) {
    ReportModel model = new ReportModel(result);
    String json = ResultJsonWriter.toJson(result);
    String csv = ResultCsvWriter.toCsv(result);
    String md = MarkdownReport.render(model);
    String html = HtmlReport.render(model);
    Path jsonPath = dir.resolve(RESULT_JSON);
    Path csvPath = dir.resolve(RESULT_CSV);
    Path mdPath = dir.resolve(REPORT_MD);
    Path htmlPath = dir.resolve(REPORT_HTML);
    AtomicFiles.writeString(jsonPath, json);
    AtomicFiles.writeString(csvPath, csv);
    AtomicFiles.writeString(mdPath, md);
    AtomicFiles.writeString(htmlPath, html);
    return List.of(jsonPath, csvPath, mdPath, htmlPath);
  }
}
