/**
 * The design-review report of a run: {@code report.md} and a self-contained {@code report.html}
 * (inline CSS and SVG, no network), both rendered from one {@link
 * org.vcpusim.scenarios.result.RunResult} through one {@link
 * org.vcpusim.scenarios.report.ReportModel} (so the table, the charts and the words agree), and
 * written whole-or-absent with {@code result.json} by {@link
 * org.vcpusim.scenarios.report.ReportWriter}.
 *
 * <p>Pieces: {@link org.vcpusim.scenarios.report.ReportModel} (the side-by-side table, per-op
 * cycle stacks, verdicts), {@link org.vcpusim.scenarios.report.AbiReading} (the sentences that say
 * what the numbers mean for the ABI), {@link org.vcpusim.scenarios.report.ReportCharts} (JFreeChart
 * drawn into JFreeSVG, byte-stable), {@link org.vcpusim.scenarios.report.MarkdownReport}, {@link
 * org.vcpusim.scenarios.report.HtmlReport}.
 */
package org.vcpusim.scenarios.report;
