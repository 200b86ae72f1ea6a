package org.vcpusim.scenarios.scenario;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;

/**
 * A YAML value with the position it starts at, as {@link YamlTree} reads it: a mapping (entries in
 * file order, each key with its own position), a sequence or a scalar. Jackson's own tree
 * ({@code JsonNode}) forgets positions, and a strict loader must point at the value that is wrong.
 */
sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

  /** 1-based line and column of the first character of a value or key. */
  record Mark(int line, int column) {}

  /** Where this value starts (for a block mapping: its first key; for a flow one: the brace). */
  Mark mark();

  /** What this value is, for "expected X, found Y" messages: "a mapping", "the string 'x'". */
  String describe();

  /** One key of a mapping, with where the key is written, and its value. */
  record Entry(String key, Mark keyMark, YamlNode value) {}

  /** A mapping; keys are unique ({@link YamlTree} rejects a repeated key). */
  record Mapping(Mark mark, List<Entry> entries) implements YamlNode {
    @Override
    public String describe() {
      return "a mapping";
    }
  }

  /** A sequence. */
  record Sequence(Mark mark, List<YamlNode> items) implements YamlNode {
    @Override
    public String describe() {
      return "a list";
    }
  }

  /** The YAML 1.1 type Jackson resolved a scalar to (quoted scalars are always strings). */
  enum ScalarType {
    STRING,
    INTEGER,
    FLOAT,
    BOOLEAN,
    NULL
  }

  /**
   * A scalar.
   *
   * @param text the scalar's text as written (without quotes)
   * @param integer the value of an {@link ScalarType#INTEGER} (hex {@code 0x..}, binary and
   *     {@code _} separators already decoded by Jackson), else null
   * @param truth the value of a {@link ScalarType#BOOLEAN}, else false
   * @param contentColumn the column of the first character of {@code text} (the mark's column,
   *     plus one for a quoted scalar)
   */
  record Scalar(
      Mark mark, ScalarType type, String text, BigInteger integer, boolean truth, int contentColumn)
      implements YamlNode {
    @Override
    public String describe() {
      switch (type) {
        case STRING:
          return "the string '" + text + "'";
        case INTEGER:
          return "the integer " + text;
        case FLOAT:
          return "the number " + text;
        case BOOLEAN:
          return "the boolean " + text.toLowerCase(Locale.ROOT);
        default:
          return "an empty value";
      }
    }
  }
}
