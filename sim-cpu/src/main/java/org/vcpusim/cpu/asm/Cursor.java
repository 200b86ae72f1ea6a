package org.vcpusim.cpu.asm;

import org.vcpusim.cpu.isa.SourceLocation;

/**
 * A position in one {@link Statement}, with the character-level helpers the parsers share and the
 * construction of located {@link AsmException}s.
 *
 * <p>Identifiers follow gas: they start with a letter, {@code _} or {@code .} and continue with
 * letters, digits, {@code _}, {@code .} or {@code $} (gas manual, "Symbol Names").
 *
 * <p><b>Caveat:</b> mutable, one per statement being parsed.
 */
final class Cursor {
  final String file;
  final int line;
  final int column;
  final String text;
  int pos;

  Cursor(String file, Statement statement) {
    this.file = file;
    this.line = statement.line();
    this.column = statement.column();
    this.text = statement.text();
  }

  /** The location of character {@code p} of the statement. */
  SourceLocation loc(int p) {
    return new SourceLocation(file, line, column + p);
  }

  void skipSpaces() {
    while (pos < text.length() && isSpace(text.charAt(pos))) {
      pos++;
    }
  }

  /** True when only blanks remain. */
  boolean atEnd() {
    skipSpaces();
    return pos >= text.length();
  }

  /** The character at the cursor (after blanks), or {@code '\0'} at the end. */
  char peek() {
    skipSpaces();
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  /** The character {@code k} places after {@link #pos} without skipping blanks, or {@code '\0'}. */
  char raw(int k) {
    int p = pos + k;
    return p < text.length() ? text.charAt(p) : '\0';
  }

  /** Consumes {@code c} (after blanks) if it is next. */
  boolean eat(char c) {
    if (peek() == c) {
      pos++;
      return true;
    }
    return false;
  }

  /** Consumes {@code c} or fails with "expected {@code what}". */
  void expect(char c, String what) {
    if (!eat(c)) {
      throw error(pos, "unexpected " + describeNext(), what);
    }
  }

  /** Fails unless only blanks remain. */
  void expectEnd(String what) {
    if (!atEnd()) {
      throw error(pos, "unexpected " + describeNext(), what);
    }
  }

  /** A description of the next token for messages: {@code "',' "} or {@code "end of line"}. */
  String describeNext() {
    skipSpaces();
    if (pos >= text.length()) {
      return "end of line";
    }
    return "'" + text.charAt(pos) + "'";
  }

  static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }

  static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
  }

  static boolean isIdentPart(char c) {
    return isIdentStart(c) || (c >= '0' && c <= '9') || c == '$';
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** True when an identifier starts at the cursor (after blanks). */
  boolean atIdentifier() {
    return isIdentStart(peek());
  }

  /** Reads an identifier at the cursor (after blanks); the caller has checked one starts here. */
  String identifier() {
    skipSpaces();
    int start = pos;
    while (pos < text.length() && isIdentPart(text.charAt(pos))) {
      pos++;
    }
    return text.substring(start, pos);
  }

  /** Reads an identifier or fails with "expected {@code what}". */
  String expectIdentifier(String what) {
    if (!atIdentifier()) {
      throw error(pos, "unexpected " + describeNext(), what);
    }
    return identifier();
  }

  /** The source text from {@code p} to the next top-level comma or the end, trimmed. */
  String nearText(int p) {
    int depth = 0;
    int e = p;
    boolean inString = false;
    while (e < text.length()) {
      char c = text.charAt(e);
      if (inString) {
        if (c == '\\') {
          e++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth <= 0 && e > p) {
        break;
      }
      e++;
    }
    String s = text.substring(Math.min(p, text.length()), Math.min(e, text.length())).trim();
    return s.isEmpty() ? null : s;
  }

  /** An error at character {@code p} with the source text there as "near". */
  AsmException error(int p, String problem, String expected) {
    int q = p;
    while (q < text.length() && isSpace(text.charAt(q))) {
      q++;
    }
    return new AsmException(loc(q), problem, expected, nearText(q));
  }

  /** An error at character {@code p} naming {@code near} explicitly. */
  AsmException error(int p, String problem, String expected, String near) {
    return new AsmException(loc(p), problem, expected, near);
  }
}
