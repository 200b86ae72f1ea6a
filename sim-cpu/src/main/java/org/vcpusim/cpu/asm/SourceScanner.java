package org.vcpusim.cpu.asm;

import java.util.ArrayList;
import java.util.List;
import org.vcpusim.cpu.isa.SourceLocation;

/**
 * Splits GNU as source into {@link Statement}s: removes comments ({@code #} and {@code //} to the
 * end of the line, {@code /* ... *}{@code /} possibly spanning lines) and splits lines at {@code ;}
 * outside string literals, as gas does for x86 (gas manual, "Comments" and "Statements"; the x86
 * line separator is {@code ;}).
 *
 * <p>Comment characters are replaced by spaces, so every character keeps its column. A {@code #}
 * or {@code ;} inside a double-quoted string is part of the string.
 */
final class SourceScanner {
  private SourceScanner() {}

  /** All non-blank statements of {@code source}, in source order. */
  static List<Statement> scan(String source, String fileName) {
    List<Statement> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int line = 1;
    int lineStart = 0;
    int stmtColumn = 1;
    boolean inBlock = false;
    int blockLine = 0;
    int blockColumn = 0;
    boolean inString = false;
    int stringColumn = 0;
    int n = source.length();
    int i = 0;
    while (i < n) {
      char c = source.charAt(i);
      char next = i + 1 < n ? source.charAt(i + 1) : '\0';
      if (c == '\n') {
        if (inString) {
          throw unterminatedString(fileName, line, stringColumn, cur);
        }
        flush(out, line, stmtColumn, cur);
        line++;
        i++;
        lineStart = i;
        stmtColumn = 1;
        continue;
      }
      if (inBlock) {
        if (c == '*' && next == '/') {
          inBlock = false;
          cur.append("  ");
          i += 2;
        } else {
          cur.append(' ');
          i++;
        }
        continue;
      }
      if (inString) {
        cur.append(c);
        i++;
        if (c == '\\' && i < n && source.charAt(i) != '\n') {
          cur.append(source.charAt(i));
          i++;
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      if (c == '"') {
        inString = true;
        stringColumn = i - lineStart + 1;
        cur.append(c);
        i++;
      } else if (c == '#' || (c == '/' && next == '/')) {
        while (i < n && source.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && next == '*') {
        inBlock = true;
        blockLine = line;
        blockColumn = i - lineStart + 1;
        cur.append("  ");
        i += 2;
      } else if (c == ';') {
        flush(out, line, stmtColumn, cur);
        i++;
        stmtColumn = i - lineStart + 1;
      } else {
        cur.append(c == '\r' || c == '\f' || c == '\u000b' ? ' ' : c);
        i++;
      }
    }
    if (inString) {
      throw unterminatedString(fileName, line, stringColumn, cur);
    }
    if (inBlock) {
      throw new AsmException(
          new SourceLocation(fileName, blockLine, blockColumn),
          "unterminated /* comment",
          "'*/' before the end of the file",
          "/*");
    }
    flush(out, line, stmtColumn, cur);
    return out;
  }

  private static AsmException unterminatedString(
      String fileName, int line, int column, StringBuilder cur) {
    return new AsmException(
        new SourceLocation(fileName, line, column),
        "missing end-quote of string literal",
        "'\"' before the end of the line",
        null);
  }

  private static void flush(List<Statement> out, int line, int column, StringBuilder cur) {
    if (!cur.toString().isBlank()) {
      out.add(new Statement(line, column, cur.toString()));
    }
    cur.setLength(0);
  }
}
