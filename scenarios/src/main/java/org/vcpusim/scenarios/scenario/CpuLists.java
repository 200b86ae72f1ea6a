package org.vcpusim.scenarios.scenario;

import org.vcpusim.kernel.topology.CpuMask;

/**
 * Parses the CPU lists of scenario files ({@code "0-3,8"}), the {@code taskset -c} / {@code
 * cpuset.cpus} format ({@code lib/bitmap-str.c: bitmap_parselist()}) without its {@code
 * :used/group} suffix, and says at which character a bad list goes wrong so the loader can point
 * at that column of the file. ({@link CpuMask#parse} accepts the suffix but reports the position
 * only inside its message.)
 *
 * <p>Grammar: {@code item (',' item)*}, {@code item = N | N '-' M} with {@code N <= M}, blanks
 * allowed around items; every CPU below {@code nrCpus}.
 */
final class CpuLists {
  /** Digits an {@code int} always holds; longer numbers are far beyond any machine anyway. */
  private static final int MAX_DIGITS = 9;

  private CpuLists() {}

  /** A bad list: {@code offset} is the 0-based index of the offending character. */
  static final class BadCpuList extends Exception {
    private static final long serialVersionUID = 1L;
    final int offset;

    BadCpuList(int offset, String problem) {
      super(problem);
      this.offset = offset;
    }
  }

  /** The CPUs of {@code text} on a machine of {@code nrCpus} CPUs; never empty. */
  static CpuMask parse(String text, int nrCpus) throws BadCpuList {
    CpuMask mask = CpuMask.empty();
    int pos = 0;
    while (true) {
      pos = skipBlanks(text, pos);
      int start = pos;
      int first = number(text, pos);
      pos = end(text, pos);
      int last = first;
      pos = skipBlanks(text, pos);
      if (pos < text.length() && text.charAt(pos) == '-') {
        pos = skipBlanks(text, pos + 1);
        int lastAt = pos;
        last = number(text, pos);
        pos = end(text, pos);
        if (last < first) {
          throw new BadCpuList(lastAt, "range " + first + "-" + last + " ends below its start");
        }
        if (last >= nrCpus) {
          throw new BadCpuList(lastAt, notOnMachine(last, nrCpus));
        }
      }
      if (first >= nrCpus) {
        throw new BadCpuList(start, notOnMachine(first, nrCpus));
      }
      mask = mask.or(CpuMask.range(first, last));
      pos = skipBlanks(text, pos);
      if (pos == text.length()) {
        return mask;
      }
      if (text.charAt(pos) != ',') {
        throw new BadCpuList(pos, "expected ',' or the end of the list, found '"
            + text.charAt(pos) + "'");
      }
      pos++;
    }
  }

  private static String notOnMachine(int cpu, int nrCpus) {
    return "CPU " + cpu + " is not on this " + nrCpus + "-CPU machine (CPUs 0-" + (nrCpus - 1)
        + ")";
  }

  private static int skipBlanks(String text, int pos) {
    while (pos < text.length() && text.charAt(pos) == ' ') {
      pos++;
    }
    return pos;
  }

  private static int end(String text, int pos) {
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    return pos;
  }

  private static int number(String text, int pos) throws BadCpuList {
    int e = pos;
    while (e < text.length() && text.charAt(e) >= '0' && text.charAt(e) <= '9') {
      e++;
    }
    if (e == pos) {
      throw new BadCpuList(pos, pos < text.length()
          ? "expected a CPU number, found '" + text.charAt(pos) + "'"
          : "expected a CPU number at the end");
    }
    if (e - pos > MAX_DIGITS) {
      return Integer.MAX_VALUE;
    }
    return Integer.parseInt(text.substring(pos, e));
  }
}
