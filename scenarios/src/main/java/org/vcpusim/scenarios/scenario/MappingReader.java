package org.vcpusim.scenarios.scenario;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.vcpusim.kernel.topology.CpuMask;

/**
 * Reads the keys of one YAML mapping of a scenario file, each as the type and range it must have,
 * and turns every mistake into a {@link ScenarioException} at the right place: an unknown key at
 * the key, a missing required key at the mapping, a bad value at the value.
 *
 * <p>Messages start with the dotted path of the value ({@code processes[1].affinity}) and say what
 * is allowed. Static methods read values that are not under a key (list items).
 */
final class MappingReader {
  private final String file;
  private final String path;
  private final YamlNode.Mapping mapping;

  /**
   * Reads {@code node} as a mapping whose keys are all in {@code allowed}.
   *
   * @param path the dotted path of the mapping, empty for the document root
   * @throws ScenarioException at {@code node} when it is not a mapping, or at the first key not in
   *     {@code allowed}
   */
  MappingReader(String file, String path, YamlNode node, List<String> allowed) {
    this.file = file;
    this.path = path;
    if (!(node instanceof YamlNode.Mapping)) {
      throw error(file, node.mark(), path, "expected a mapping, found " + node.describe());
    }
    this.mapping = (YamlNode.Mapping) node;
    for (YamlNode.Entry e : mapping.entries()) {
      if (!allowed.contains(e.key())) {
        throw error(file, e.keyMark(), path.isEmpty() ? "" : path,
            "unknown key '" + e.key() + "'; allowed: " + String.join(", ", allowed));
      }
    }
  }

  /** Where the mapping starts. */
  YamlNode.Mark mark() {
    return mapping.mark();
  }

  /** The file the mapping is in. */
  String file() {
    return file;
  }

  /** The dotted path of {@code key} in this mapping. */
  String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Whether the mapping has {@code key}. */
  boolean has(String key) {
    return get(key).isPresent();
  }

  /** The entry of {@code key}, if written. */
  Optional<YamlNode.Entry> entry(String key) {
    return mapping.entries().stream().filter(e -> e.key().equals(key)).findFirst();
  }

  /** The value of {@code key}, if written. */
  Optional<YamlNode> get(String key) {
    return entry(key).map(YamlNode.Entry::value);
  }

  /**
   * The value of {@code key}.
   *
   * @throws ScenarioException at the mapping when the key is missing
   */
  YamlNode require(String key) {
    return get(key).orElseThrow(() -> fail(mapping.mark(), "missing required key '" + key + "'"));
  }

  /** An error about this mapping as a whole, at {@code mark}. */
  ScenarioException fail(YamlNode.Mark mark, String problem) {
    return error(file, mark, path, problem);
  }

  /** An error about the value of {@code key}, at that value. */
  ScenarioException failAt(String key, String problem) {
    YamlNode.Entry e = entry(key).orElseThrow();
    return error(file, e.value().mark(), pathOf(key), problem);
  }

  /** An error about {@code key} itself, at the key. */
  ScenarioException failAtKey(String key, String problem) {
    YamlNode.Entry e = entry(key).orElseThrow();
    return error(file, e.keyMark(), pathOf(key), problem);
  }

  long integer(String key, long dflt, long min, long max) {
    return get(key).map(n -> integer(file, n, pathOf(key), min, max)).orElse(dflt);
  }

  int integer(String key, int dflt, int min, int max) {
    return (int) integer(key, (long) dflt, min, max);
  }

  double number(String key, double dflt, double min, double max) {
    return get(key).map(n -> number(file, n, pathOf(key), min, max)).orElse(dflt);
  }

  boolean bool(String key, boolean dflt) {
    return get(key).map(n -> bool(file, n, pathOf(key))).orElse(dflt);
  }

  String string(String key, String dflt) {
    return get(key).map(n -> string(file, n, pathOf(key))).orElse(dflt);
  }

  String name(String key, Pattern pattern, String rule) {
    return name(file, require(key), pathOf(key), pattern, rule);
  }

  <E extends Enum<E> & Spelled> E choice(String key, Class<E> type, E dflt) {
    return get(key).map(n -> choice(file, n, pathOf(key), type)).orElse(dflt);
  }

  CpuMask cpus(String key, int nrCpus) {
    return cpus(file, require(key), pathOf(key), nrCpus);
  }

  // ---- values that are not under a key (list items) -------------------------------------------

  static ScenarioException error(String file, YamlNode.Mark m, String path, String problem) {
    return new ScenarioException(
        file, m.line(), m.column(), path.isEmpty() ? problem : path + ": " + problem);
  }

  static long integer(String file, YamlNode n, String path, long min, long max) {
    YamlNode.Scalar s = scalar(file, n, path, "an integer");
    if (s.type() != YamlNode.ScalarType.INTEGER) {
      String t = s.text();
      if (s.type() == YamlNode.ScalarType.STRING && (t.startsWith("0x") || t.startsWith("0X"))) {
        throw error(file, n.mark(), path, "bad hexadecimal integer '" + t
            + "'; write 0x followed by the digits 0-9, a-f");
      }
      throw error(file, n.mark(), path, "expected an integer, found " + s.describe());
    }
    BigInteger v = s.integer();
    if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
      throw error(file, n.mark(), path,
          s.text() + " is out of range; allowed " + min + ".." + max);
    }
    return v.longValueExact();
  }

  static double number(String file, YamlNode n, String path, double min, double max) {
    YamlNode.Scalar s = scalar(file, n, path, "a number");
    double v;
    if (s.type() == YamlNode.ScalarType.INTEGER) {
      v = s.integer().doubleValue();
    } else if (s.type() == YamlNode.ScalarType.FLOAT) {
      try {
        v = Double.parseDouble(s.text().replace("_", ""));
      } catch (NumberFormatException e) {
        v = Double.NaN;
      }
    } else {
      throw error(file, n.mark(), path, "expected a number, found " + s.describe());
    }
    if (!(v >= min && v <= max)) {
      throw error(file, n.mark(), path, s.text() + " is out of range; allowed "
          + plain(min) + ".." + plain(max));
    }
    return v;
  }

  static boolean bool(String file, YamlNode n, String path) {
    YamlNode.Scalar s = scalar(file, n, path, "true or false");
    if (s.type() != YamlNode.ScalarType.BOOLEAN) {
      throw error(file, n.mark(), path, "expected true or false, found " + s.describe());
    }
    return s.truth();
  }

  static String string(String file, YamlNode n, String path) {
    YamlNode.Scalar s = scalar(file, n, path, "a string");
    if (s.type() != YamlNode.ScalarType.STRING) {
      throw error(file, n.mark(), path, "expected a string, found " + s.describe()
          + (s.type() == YamlNode.ScalarType.NULL ? "" : "; quote it to make it a string"));
    }
    return s.text();
  }

  static String name(String file, YamlNode n, String path, Pattern pattern, String rule) {
    String s = string(file, n, path);
    if (!pattern.matcher(s).matches()) {
      throw error(file, n.mark(), path, "'" + s + "' is not a valid name; " + rule);
    }
    return s;
  }

  static <E extends Enum<E> & Spelled> E choice(
      String file, YamlNode n, String path, Class<E> type) {
    YamlNode.Scalar s = scalar(file, n, path, "one of " + Spelled.spellings(type));
    return Spelled.bySpelling(type, s.text()).orElseThrow(() -> error(file, n.mark(), path,
        "unknown value '" + s.text() + "'; allowed: "
            + String.join(", ", Spelled.spellings(type))));
  }

  static CpuMask cpus(String file, YamlNode n, String path, int nrCpus) {
    YamlNode.Scalar s = scalar(file, n, path, "a CPU list such as \"0-3,8\"");
    if (s.type() != YamlNode.ScalarType.STRING && s.type() != YamlNode.ScalarType.INTEGER) {
      throw error(file, n.mark(), path,
          "expected a CPU list such as \"0-3,8\", found " + s.describe());
    }
    try {
      return CpuLists.parse(s.text(), nrCpus);
    } catch (CpuLists.BadCpuList e) {
      YamlNode.Mark at = new YamlNode.Mark(s.mark().line(), s.contentColumn() + e.offset);
      throw error(file, at, path, "bad CPU list '" + s.text() + "': " + e.getMessage());
    }
  }

  static YamlNode.Sequence sequence(String file, YamlNode n, String path) {
    if (!(n instanceof YamlNode.Sequence)) {
      throw error(file, n.mark(), path, "expected a list, found " + n.describe());
    }
    return (YamlNode.Sequence) n;
  }

  private static YamlNode.Scalar scalar(String file, YamlNode n, String path, String expected) {
    if (!(n instanceof YamlNode.Scalar)) {
      throw error(file, n.mark(), path, "expected " + expected + ", found " + n.describe());
    }
    return (YamlNode.Scalar) n;
  }

  /** {@code 1000000.0} as {@code 1000000}: ranges in messages read like the docs. */
  private static String plain(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
