package org.vcpusim.scenarios.asm;

import java.util.Locale;

/**
 * A request to print {@code bytes} bytes of memory at {@code location} after the run: {@code
 * --dump SYMBOL:BYTES}, where SYMBOL is a symbol of the file (or one the image provides, such as
 * {@code __rseq_offset}) or an address ({@code 0x...} or decimal).
 *
 * @param location a symbol name or an address as written
 * @param bytes how many bytes, 1 to {@link #MAX_BYTES}
 */
public record DumpRequest(String location, int bytes) {
  /** The largest dump accepted. */
  public static final int MAX_BYTES = 1 << 20;

  public DumpRequest {
    if (location == null || location.isEmpty()) {
      throw new RoutineInputException("--dump needs a symbol or an address before ':'");
    }
    if (bytes < 1 || bytes > MAX_BYTES) {
      throw new RoutineInputException(String.format(Locale.ROOT,
          "--dump %s:%d: the byte count must be from 1 to %d", location, bytes, MAX_BYTES));
    }
  }

  /**
   * Parses {@code SYMBOL:BYTES}.
   *
   * @throws RoutineInputException naming the spec when it is malformed
   */
  public static DumpRequest parse(String spec) {
    int colon = spec.lastIndexOf(':');
    if (colon <= 0 || colon == spec.length() - 1) {
      throw new RoutineInputException("bad --dump '" + spec + "': expected SYMBOL:BYTES, e.g. "
          + "counters:8");
    }
    String count = spec.substring(colon + 1);
    long n;
    try {
      n = Numbers.parse(count);
    } catch (NumberFormatException e) {
      throw new RoutineInputException("bad --dump '" + spec + "': '" + count
          + "' is not a byte count; expected SYMBOL:BYTES, e.g. counters:8");
    }
    if (n < 1 || n > MAX_BYTES) {
      throw new RoutineInputException(String.format(Locale.ROOT,
          "bad --dump '%s': the byte count must be from 1 to %d", spec, MAX_BYTES));
    }
    return new DumpRequest(spec.substring(0, colon), (int) n);
  }
}
