package org.vcpusim.core.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of a trace record: an immutable, insertion-ordered list of (key, value) pairs whose
 * values are {@code long}, {@code double}, {@code boolean} or {@code String} (the types of
 * Perfetto debug annotations). Insertion order, not hashing, decides the order, so equal
 * producers give equal traces. Keys are unique and non-empty.
 */
public final class TraceArgs {

  /** No arguments. */
  public static final TraceArgs NONE = new TraceArgs(new String[0], new Object[0]);

  private final String[] keys;
  private final Object[] values;

  private TraceArgs(String[] keys, Object[] values) {
    this.keys = keys;
    this.values = values;
  }

  /** One integer argument. */
  public static TraceArgs of(String key, long value) {
    return builder().put(key, value).build();
  }

  /** One string argument. */
  public static TraceArgs of(String key, String value) {
    return builder().put(key, value).build();
  }

  /** Two integer arguments. */
  public static TraceArgs of(String key1, long value1, String key2, long value2) {
    return builder().put(key1, value1).put(key2, value2).build();
  }

  /** A builder for any number of arguments. */
  public static Builder builder() {
    return new Builder();
  }

  /** Number of arguments. */
  public int size() {
    return keys.length;
  }

  /** The key of argument {@code i}, in insertion order. */
  public String key(int i) {
    return keys[i];
  }

  /** The value of argument {@code i}: a {@link Long}, {@link Double}, {@link Boolean} or String. */
  public Object value(int i) {
    return values[i];
  }

  /** The value under {@code key}, or null. */
  public Object get(String key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return values[i];
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceArgs other
        && Arrays.equals(keys, other.keys) && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(keys) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("{");
    for (int i = 0; i < keys.length; i++) {
      if (i > 0) {
        s.append(", ");
      }
      s.append(keys[i]).append('=').append(values[i]);
    }
    return s.append('}').toString();
  }

  /** Collects arguments in order; rejects duplicate or empty keys. */
  public static final class Builder {
    private final List<String> keys = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    private Builder() {}

    /** Adds an integer argument. */
    public Builder put(String key, long value) {
      return add(key, value);
    }

    /** Adds a real argument (finite or not; Perfetto accepts any double). */
    public Builder put(String key, double value) {
      return add(key, value);
    }

    /** Adds a boolean argument. */
    public Builder put(String key, boolean value) {
      return add(key, value);
    }

    /** Adds a string argument. */
    public Builder put(String key, String value) {
      return add(key, Objects.requireNonNull(value, "value"));
    }

    /** The arguments added so far. */
    public TraceArgs build() {
      return keys.isEmpty()
          ? NONE : new TraceArgs(keys.toArray(new String[0]), values.toArray());
    }

    private Builder add(String key, Object value) {
      if (key == null || key.isEmpty()) {
        throw new IllegalArgumentException("trace argument key must not be empty");
      }
      if (keys.contains(key)) {
        throw new IllegalArgumentException("duplicate trace argument key: " + key);
      }
      keys.add(key);
      values.add(value);
      return this;
    }
  }
}
