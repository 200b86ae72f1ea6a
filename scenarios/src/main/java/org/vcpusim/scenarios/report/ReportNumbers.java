package org.vcpusim.scenarios.report;

import org.vcpusim.scenarios.result.Decimals;

/**
 * How the report spells numbers, in one place so that a figure in a sentence is the very string
 * the table shows for it. Locale-independent ({@link Decimals}).
 */
final class ReportNumbers {
  /**
   * Decimals of per-op figures in the report: cycle and load means differ between ABI variants by
   * whole cycles and single loads, so hundredths keep every difference visible without implying
   * the model is finer.
   */
  static final int PER_OP_DECIMALS = 2;

  /** Decimals of percentages and ratios. */
  static final int RATIO_DECIMALS = 1;

  /** Bytes in a KiB. */
  static final long KIB = 1024;

  /** The text shown where a per-op figure has no ops to divide by. */
  static final String NOT_AVAILABLE = "n/a";

  private ReportNumbers() {}

  /** A per-op figure (cycles, instructions, loads per op). */
  static String perOp(double v) {
    return Decimals.fixedOr(v, PER_OP_DECIMALS, NOT_AVAILABLE);
  }

  /** A percentage or ratio. */
  static String ratio(double v) {
    return Decimals.fixedOr(v, RATIO_DECIMALS, NOT_AVAILABLE);
  }

  /** An integer count. */
  static String count(long v) {
    return Long.toString(v);
  }

  /** Bytes as KiB with one decimal. */
  static String kib(long bytes) {
    return Decimals.fixed((double) bytes / KIB, RATIO_DECIMALS);
  }

  /** {@code total / ops}, NaN when there are no ops. */
  static double per(long total, long ops) {
    return ops > 0 ? (double) total / ops : Double.NaN;
  }
}
