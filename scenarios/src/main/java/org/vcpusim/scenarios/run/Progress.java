package org.vcpusim.scenarios.run;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress line a long run prints on standard error (issue 6): the variant, how far through
 * its simulated duration it is, and the host speed. It appears only when standard error is a
 * terminal ({@link #forTerminal}) and only once a run has lasted {@link #QUIET_NANOS}, is redrawn
 * at most every {@link #REDRAW_NANOS}, and is erased when the run ends, so redirected output and
 * short runs never see it.
 *
 * <p><b>Caveats:</b> reads the wall clock, which is fine because nothing it prints reaches a
 * result. Not thread-safe.
 */
public final class Progress {
  /** Runs shorter than this print nothing: "a few seconds" in the issue. */
  static final long QUIET_NANOS = 3_000_000_000L;
  /** Redraw period: often enough to look alive, rarely enough to cost nothing. */
  static final long REDRAW_NANOS = 500_000_000L;

  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  private Progress(PrintStream out) {
    this.out = out;
  }

  /** A progress line on {@code System.err} when it is a terminal, else one that prints nothing. */
  public static Progress forTerminal() {
    return new Progress(System.console() != null ? System.err : null);
  }

  /** A progress line that prints nothing. */
  public static Progress none() {
    return new Progress(null);
  }

  /**
   * Redraws the line if it is due.
   *
   * @param label the variant being run
   * @param fraction done, 0..1
   * @param instructions simulated instructions so far in this variant
   */
  public void update(String label, double fraction, long instructions) {
    if (out == null) {
      return;
    }
    long t = System.nanoTime();
    if (t - startNanos < QUIET_NANOS || t - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = t;
    double seconds = (t - startNanos) / 1e9;
    out.print(String.format(Locale.ROOT, "\r%-28s %5.1f%%  %,d instructions  %.1f s   ", label,
        100 * Math.min(1, Math.max(0, fraction)), instructions, seconds));
    out.flush();
    drawn = true;
  }

  /** Erases the line if one was drawn. */
  public void finish() {
    if (out != null && drawn) {
      out.print("\r" + " ".repeat(78) + "\r");
      out.flush();
      drawn = false;
    }
  }
}
