package org.vcpusim.cpu.asm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vcpusim.cpu.isa.SourceLocation;

/**
 * One {@code .rept COUNT} or {@code .irp SYMBOL, V1, V2, ...} block whose header has been read:
 * how many times its body is assembled and the text of each expansion, as GNU as does it
 * (binutils {@code gas/read.c} {@code s_rept}/{@code do_repeat}, which repeat the body text
 * verbatim, and {@code s_irp} with {@code gas/macro.c} {@code expand_irp}, which substitute
 * {@code \SYMBOL} in the body once per value).
 *
 * <ul>
 *   <li>The body is the statements between the header and the {@code .endr} that matches it;
 *       {@code .rept}, {@code .irp} and {@code .irpc} inside it nest ({@link #findEnd}).
 *   <li>{@code .irp} values are separated by commas or blanks; a value in double quotes is taken
 *       without its quotes (so it may hold commas and blanks); {@code 1,,2} has an empty second
 *       value; a trailing comma adds nothing; no values at all assemble the body once with an
 *       empty value (all as gas 2.40 does).
 *   <li>Substitution is textual: {@code \NAME} where NAME is the whole identifier after the
 *       backslash and equals the symbol (case-sensitive) becomes the value; {@code \()} is removed
 *       (a separator, as in {@code \r\()0}); any other backslash stays. A {@code .rept} body is
 *       repeated unchanged.
 * </ul>
 *
 * <p>Each expansion keeps the body statements' own line and column, so an error in the third
 * expansion of a body line points at that line; a column after a substituted {@code \NAME} is
 * shifted by the difference in length between the name and its value.
 */
final class Repetition {
  /** The directive names that open a block ended by {@code .endr} (gas {@code buffer_and_nest}). */
  private static final List<String> OPENERS = List.of(".rept", ".irp", ".irpc");

  final String directive;
  final SourceLocation loc;
  /** The {@code .irp} symbol, or null for {@code .rept}. */
  private final String symbol;
  /** The {@code .irp} values, or null for {@code .rept}. */
  private final List<String> values;
  private final long count;

  private Repetition(String directive, SourceLocation loc, String symbol, List<String> values,
      long count) {
    this.directive = directive;
    this.loc = loc;
    this.symbol = symbol;
    this.values = values;
    this.count = count;
  }

  /** A {@code .rept} with a count already checked by the caller. */
  static Repetition rept(SourceLocation loc, long count) {
    return new Repetition(".rept", loc, null, null, count);
  }

  /** Reads the rest of an {@code .irp} header: {@code SYMBOL[, values]}. */
  static Repetition irp(SourceLocation loc, Cursor c) {
    String symbol = c.expectIdentifier("the .irp symbol name");
    c.eat(',');
    List<String> values = new ArrayList<>();
    String t = c.text;
    c.skipSpaces();
    if (c.pos >= t.length()) {
      values.add("");
    }
    while (c.pos < t.length()) {
      values.add(value(c));
      c.skipSpaces();
      if (c.eat(',') && c.atEnd()) {
        break;
      }
      c.skipSpaces();
    }
    return new Repetition(".irp", loc, symbol, List.copyOf(values), values.size());
  }

  private static String value(Cursor c) {
    String t = c.text;
    int start = c.pos;
    if (c.raw(0) == '"') {
      int p = start + 1;
      while (p < t.length() && t.charAt(p) != '"') {
        p += t.charAt(p) == '\\' ? 2 : 1;
      }
      if (p >= t.length()) {
        throw c.error(start, "missing end-quote of an .irp value", "'\"'");
      }
      c.pos = p + 1;
      return t.substring(start + 1, p);
    }
    int p = start;
    while (p < t.length() && t.charAt(p) != ',' && !Cursor.isSpace(t.charAt(p))) {
      p++;
    }
    c.pos = p;
    return t.substring(start, p);
  }

  /** How many times the body is assembled. */
  long count() {
    return count;
  }

  /**
   * The index in {@code list} of the {@code .endr} that closes a block whose body starts at
   * {@code from}.
   *
   * @throws AsmException at the opening directive when the file ends first, or at a label written
   *     before the closing {@code .endr}
   */
  int findEnd(List<Statement> list, int from, String file) {
    int depth = 0;
    for (int i = from; i < list.size(); i++) {
      Cursor c = new Cursor(file, list.get(i));
      boolean labelled = skipLabels(c);
      if (!c.atIdentifier()) {
        continue;
      }
      int p = c.pos;
      String word = c.identifier().toLowerCase(Locale.ROOT);
      if (OPENERS.contains(word)) {
        depth++;
      } else if (word.equals(".endr")) {
        if (depth == 0) {
          if (labelled) {
            throw c.error(0, "label before the '.endr' that closes the " + directive + " at "
                + loc, "the label on its own line inside the body", c.text.substring(0, p).trim());
          }
          return i;
        }
        depth--;
      }
    }
    return -1;
  }

  /** Skips {@code name:} and {@code N:} labels; true when there was at least one. */
  static boolean skipLabels(Cursor c) {
    boolean any = false;
    while (true) {
      c.skipSpaces();
      int p = c.pos;
      char ch = c.raw(0);
      if (Cursor.isDigit(ch)) {
        while (Cursor.isDigit(c.raw(0))) {
          c.pos++;
        }
      } else if (Cursor.isIdentStart(ch)) {
        c.identifier();
      } else {
        return any;
      }
      c.skipSpaces();
      if (c.raw(0) != ':') {
        c.pos = p;
        return any;
      }
      c.pos++;
      any = true;
    }
  }

  /** The body statements of expansion {@code k} (0-based). */
  List<Statement> expansion(List<Statement> body, int k) {
    if (symbol == null) {
      return body;
    }
    String value = values.get(k);
    List<Statement> out = new ArrayList<>(body.size());
    for (Statement s : body) {
      out.add(new Statement(s.line(), s.column(), substitute(s.text(), value)));
    }
    return out;
  }

  private String substitute(String text, String value) {
    if (text.indexOf('\\') < 0) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length() + value.length());
    int i = 0;
    while (i < text.length()) {
      char ch = text.charAt(i);
      if (ch != '\\' || i + 1 >= text.length()) {
        sb.append(ch);
        i++;
        continue;
      }
      if (text.startsWith("()", i + 1)) {
        i += 3;
        continue;
      }
      int e = i + 1;
      while (e < text.length() && Cursor.isIdentPart(text.charAt(e))) {
        e++;
      }
      if (e == i + 1) {
        sb.append(ch);
        i++;
        continue;
      }
      sb.append(text.substring(i + 1, e).equals(symbol) ? value : text.substring(i, e));
      i = e;
    }
    return sb.toString();
  }

  /** {@code e} with the expansion it happened in added to its problem. */
  AsmException inExpansion(AsmException e, int k) {
    String where = symbol == null
        ? String.format(Locale.ROOT, " (in %s expansion %d of %d at %s)", directive, k + 1, count,
            loc)
        : String.format(Locale.ROOT, " (in %s expansion %d of %d, \\%s = '%s', at %s)", directive,
            k + 1, count, symbol, values.get(k), loc);
    AsmException wrapped = new AsmException(e.location(), e.problem() + where, e.expected(),
        e.near());
    wrapped.setStackTrace(e.getStackTrace());
    return wrapped;
  }
}
