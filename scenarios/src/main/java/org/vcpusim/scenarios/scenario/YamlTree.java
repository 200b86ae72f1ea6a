package org.vcpusim.scenarios.scenario;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads one YAML document into a {@link YamlNode} tree with the position of every key and value,
 * from the token stream of Jackson's {@link YAMLParser} (whose token locations are snakeyaml's
 * event start marks).
 *
 * <p>Rejected, each with its position: YAML syntax errors (at snakeyaml's problem mark, the place
 * the scanner or parser gave up, not where Jackson stopped reading), a repeated key in one mapping
 * (at the second key), aliases, anchors on mappings and lists (Jackson does not report anchors on
 * scalars; one without an alias is harmless) and explicit tags (a scenario is plain data), an empty
 * file, and a second document.
 *
 * <p><b>Caveats:</b> scalars follow Jackson's YAML 1.1 resolution: plain {@code yes}/{@code
 * no}/{@code on}/{@code off} are booleans, {@code 0x..} and {@code 0b..} are integers, {@code
 * 0o..} is a string.
 */
final class YamlTree {
  /** One factory for all reads; {@code YAMLFactory} is thread-safe once configured. */
  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

  private final String file;
  private final String[] lines;
  private final YAMLParser parser;

  private YamlTree(String file, String text) throws IOException {
    this.file = file;
    this.lines = text.split("\n", -1);
    this.parser = FACTORY.createParser(text);
  }

  /**
   * The document of {@code text}.
   *
   * @throws ScenarioException at the position of the first problem
   */
  static YamlNode parse(String file, String text) {
    try {
      YamlTree tree = new YamlTree(file, text);
      JsonToken first = tree.next();
      if (first == null) {
        throw new ScenarioException(file, 1, 1, "empty file; a scenario is a YAML mapping");
      }
      YamlNode root = tree.value(first);
      JsonToken extra = tree.next();
      if (extra != null) {
        YamlNode.Mark m = tree.mark();
        throw new ScenarioException(file, m.line(), m.column(),
            "a second YAML document; a scenario file holds exactly one");
      }
      return root;
    } catch (JacksonException e) {
      throw syntaxError(file, e);
    } catch (IOException e) {
      throw new ScenarioException(file, "cannot read: " + e.getMessage(), e);
    }
  }

  private JsonToken next() throws IOException {
    JsonToken t = parser.nextToken();
    if (t == null) {
      return null;
    }
    if (parser.isCurrentAlias()) {
      throw at(mark(), "YAML aliases (*" + parser.getText() + ") are not supported;"
          + " write the value out");
    }
    if (parser.getObjectId() != null) {
      throw at(mark(), "YAML anchors (&" + parser.getObjectId() + ") are not supported");
    }
    if (t != JsonToken.FIELD_NAME && t != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY
        && parser.getTypeId() != null) {
      throw at(mark(), "YAML tags (!" + parser.getTypeId() + ") are not supported");
    }
    return t;
  }

  private YamlNode.Mark mark() {
    JsonLocation l = parser.currentTokenLocation();
    return new YamlNode.Mark(l.getLineNr(), l.getColumnNr());
  }

  private YamlNode value(JsonToken t) throws IOException {
    YamlNode.Mark m = mark();
    switch (t) {
      case START_OBJECT:
        return mapping(m);
      case START_ARRAY:
        List<YamlNode> items = new ArrayList<>();
        for (JsonToken u = next(); u != JsonToken.END_ARRAY; u = next()) {
          items.add(value(u));
        }
        return new YamlNode.Sequence(m, List.copyOf(items));
      case VALUE_NUMBER_INT:
        return scalar(m, YamlNode.ScalarType.INTEGER, parser.getBigIntegerValue());
      case VALUE_NUMBER_FLOAT:
        return scalar(m, YamlNode.ScalarType.FLOAT, null);
      case VALUE_TRUE:
      case VALUE_FALSE:
        return scalar(m, YamlNode.ScalarType.BOOLEAN, null);
      case VALUE_NULL:
        return scalar(m, YamlNode.ScalarType.NULL, null);
      case VALUE_STRING:
        return scalar(m, YamlNode.ScalarType.STRING, null);
      default:
        throw at(m, "unexpected YAML token " + t);
    }
  }

  private YamlNode.Mapping mapping(YamlNode.Mark m) throws IOException {
    List<YamlNode.Entry> entries = new ArrayList<>();
    TreeMap<String, YamlNode.Mark> seen = new TreeMap<>();
    for (JsonToken u = next(); u != JsonToken.END_OBJECT; u = next()) {
      String key = parser.currentName();
      YamlNode.Mark keyMark = mark();
      YamlNode.Mark earlier = seen.putIfAbsent(key, keyMark);
      if (earlier != null) {
        throw at(keyMark, "key '" + key + "' repeated (first at line " + earlier.line() + ")");
      }
      entries.add(new YamlNode.Entry(key, keyMark, value(next())));
    }
    return new YamlNode.Mapping(m, List.copyOf(entries));
  }

  private YamlNode.Scalar scalar(YamlNode.Mark m, YamlNode.ScalarType type, BigInteger integer)
      throws IOException {
    int column = m.column();
    if (m.line() >= 1 && m.line() <= lines.length) {
      String line = lines[m.line() - 1];
      if (column - 1 < line.length()) {
        char c = line.charAt(column - 1);
        if (c == '"' || c == '\'') {
          column++;
        }
      }
    }
    return new YamlNode.Scalar(
        m, type, parser.getText(), integer, parser.currentToken() == JsonToken.VALUE_TRUE, column);
  }

  private ScenarioException at(YamlNode.Mark m, String problem) {
    return new ScenarioException(file, m.line(), m.column(), problem);
  }

  /**
   * A syntax error at snakeyaml's problem mark (0-based in snakeyaml, 1-based here), with its
   * problem text and, when it has one, its context ("while parsing a flow sequence").
   */
  private static ScenarioException syntaxError(String file, JacksonException e) {
    Throwable cause = e.getCause();
    if (cause instanceof MarkedYAMLException) {
      MarkedYAMLException y = (MarkedYAMLException) cause;
      Mark problemMark = y.getProblemMark();
      String problem = "invalid YAML: " + oneLine(y.getProblem());
      if (y.getContext() != null) {
        problem += " (" + oneLine(y.getContext()) + ")";
      }
      if (problemMark != null) {
        return new ScenarioException(file, problemMark.getLine() + 1, problemMark.getColumn() + 1,
            problem);
      }
      return new ScenarioException(file, problem, e);
    }
    JsonLocation l = e.getLocation();
    String problem = "invalid YAML: " + oneLine(e.getOriginalMessage());
    if (l != null && l.getLineNr() > 0) {
      return new ScenarioException(file, l.getLineNr(), Math.max(1, l.getColumnNr()), problem);
    }
    return new ScenarioException(file, problem, e);
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace("\t", "\\t").strip();
  }
}
