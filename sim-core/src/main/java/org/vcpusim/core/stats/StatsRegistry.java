package org.vcpusim.core.stats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The statistics of one run, by hierarchical dotted name ({@code cpu3.l1d.misses}), in the manner
 * of gem5's stats (reference/anchors.md section 1.3): counters, integer and real gauges, and
 * HdrHistogram distributions.
 *
 * <p><b>Names</b>: one or more segments joined by {@code '.'}; a segment is a non-empty run of
 * ASCII letters, digits, {@code '_'} and {@code '-'} (so no whitespace, no empty segment, nothing
 * locale-sensitive). A name is either a statistic or a group of statistics, never both: with
 * {@code cpu3.l1d.misses} registered, {@code cpu3.l1d} cannot be, and the reverse. Lookups are
 * get-or-create; asking for an existing name with another kind of statistic throws.
 *
 * <p><b>JSON export</b> ({@link #writeJson}): one object whose fields are the statistics sorted by
 * name (String order, which for these ASCII names is byte order), each a number or, for a
 * distribution, an object (see {@link Distribution}); two-space indentation, {@code "\n"} line
 * ends, a final newline. Written with jackson-core's {@link JsonGenerator}, whose number output
 * does not depend on the default locale, and never iterating a hash-ordered collection; the same
 * statistics therefore always produce the same bytes.
 *
 * <p><b>Caveats</b>: not thread-safe; one registry per run.
 */
public final class StatsRegistry {

  private static final JsonFactory JSON = JsonFactory.builder()
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .build();

  private final TreeMap<String, Stat> stats = new TreeMap<>();

  /** The counter called {@code name}, created at zero on first request. */
  public Counter counter(String name) {
    return getOrCreate(name, Counter.class, Counter::new);
  }

  /** The integer gauge called {@code name}, created at zero on first request. */
  public LongGauge longGauge(String name) {
    return getOrCreate(name, LongGauge.class, LongGauge::new);
  }

  /** The real-valued gauge called {@code name}, created at zero on first request. */
  public DoubleGauge doubleGauge(String name) {
    return getOrCreate(name, DoubleGauge.class, DoubleGauge::new);
  }

  /** The distribution called {@code name}, with 3 significant digits. */
  public Distribution distribution(String name) {
    return distribution(name, 3);
  }

  /**
   * The distribution called {@code name}, created empty on first request.
   *
   * @throws IllegalArgumentException if it exists with a different precision
   */
  public Distribution distribution(String name, int significantDigits) {
    Distribution distribution =
        getOrCreate(name, Distribution.class, n -> new Distribution(n, significantDigits));
    if (distribution.significantDigits() != significantDigits) {
      throw new IllegalArgumentException("distribution " + name + " exists with "
          + distribution.significantDigits() + " significant digits, not " + significantDigits);
    }
    return distribution;
  }

  /** The statistic called {@code name}, if registered. */
  public Optional<Stat> find(String name) {
    return Optional.ofNullable(stats.get(name));
  }

  /** All names, sorted. */
  public List<String> names() {
    return Collections.unmodifiableList(new ArrayList<>(stats.keySet()));
  }

  /** Number of statistics. */
  public int size() {
    return stats.size();
  }

  /** Resets every statistic (the start of a region of interest, like gem5's resetstats). */
  public void resetAll() {
    for (Stat stat : stats.values()) {
      stat.reset();
    }
  }

  /** Writes the statistics as JSON to {@code out} (which is left open), see the class comment. */
  public void writeJson(Writer out) throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.setPrettyPrinter(new DefaultPrettyPrinter(Separators.createDefaultInstance()
              .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(new DefaultIndenter("  ", "\n")));
      json.writeStartObject();
      for (Map.Entry<String, Stat> entry : stats.entrySet()) {
        json.writeFieldName(entry.getKey());
        entry.getValue().writeValue(json);
      }
      json.writeEndObject();
      json.writeRaw('\n');
    }
  }

  /** The JSON of {@link #writeJson(Writer)} as a string. */
  public String toJson() {
    StringWriter out = new StringWriter();
    try {
      writeJson(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * Checks that {@code name} is a valid statistic name, see the class comment.
   *
   * @throws IllegalArgumentException naming the offending character or segment
   */
  public static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("statistic name must not be empty");
    }
    int segmentStart = 0;
    for (int i = 0; i <= name.length(); i++) {
      char c = i < name.length() ? name.charAt(i) : '.';
      if (c == '.') {
        if (i == segmentStart) {
          throw new IllegalArgumentException("empty segment at index " + i + " in statistic name \""
              + name + "\"");
        }
        segmentStart = i + 1;
      } else if (!isNameChar(c)) {
        throw new IllegalArgumentException("character '" + c + "' (U+"
            + String.format(java.util.Locale.ROOT, "%04X", (int) c) + ") at index " + i
            + " is not allowed in statistic name \"" + name
            + "\"; use ASCII letters, digits, '_', '-' and '.' between segments");
      }
    }
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '_' || c == '-';
  }

  private <T extends Stat> T getOrCreate(String name, Class<T> kind, Function<String, T> factory) {
    Stat existing = stats.get(name);
    if (existing != null) {
      if (!kind.isInstance(existing)) {
        throw new IllegalArgumentException("statistic " + name + " is a "
            + existing.getClass().getSimpleName() + ", not a " + kind.getSimpleName());
      }
      return kind.cast(existing);
    }
    checkName(name);
    checkNoGroupConflict(name);
    T created = factory.apply(name);
    stats.put(name, created);
    return created;
  }

  /** Rejects a name that is a group of an existing statistic or has a statistic as a group. */
  private void checkNoGroupConflict(String name) {
    String asGroup = name + '.';
    String after = stats.ceilingKey(asGroup);
    if (after != null && after.startsWith(asGroup)) {
      throw new IllegalArgumentException("statistic name " + name + " is already a group, e.g. of "
          + after);
    }
    for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
      String group = name.substring(0, dot);
      if (stats.containsKey(group)) {
        throw new IllegalArgumentException("statistic name " + name + " would make statistic "
            + group + " a group");
      }
    }
  }
}
