package org.vcpusim.cpu.profile;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Loads {@link CpuProfile}s from the YAML files bundled in {@code profiles/} on the class path.
 *
 * <p>A file is strict: an unknown key (a typo) or a missing one is an error naming the key, a
 * fraction where a cycle count is expected is an error, and every figure must have an entry in
 * {@code sources:} (no unexplained number, userspace.md §7 decision 10). Loaded profiles are
 * cached; they are immutable.
 */
public final class CpuProfiles {
  /** The class-path folder holding the profile files and their index. */
  public static final String RESOURCE_DIR = "profiles/";

  private static final String INDEX = RESOURCE_DIR + "index.txt";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private static final Map<String, CpuProfile> CACHE = new ConcurrentHashMap<>();

  private static final YAMLMapper MAPPER =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .build();

  private CpuProfiles() {}

  /** Names of the bundled profiles, sorted. */
  public static List<String> names() {
    try (InputStream in = CpuProfiles.class.getClassLoader().getResourceAsStream(INDEX)) {
      if (in == null) {
        throw new ProfileException("missing class-path resource " + INDEX);
      }
      TreeSet<String> names = new TreeSet<>();
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String n = line.strip();
        if (!n.isEmpty() && !n.startsWith("#")) {
          names.add(n);
        }
      }
      return Collections.unmodifiableList(new ArrayList<>(names));
    } catch (IOException e) {
      throw new ProfileException("cannot read " + INDEX + ": " + e.getMessage(), e);
    }
  }

  /**
   * The bundled profile {@code name}.
   *
   * @throws ProfileException when there is no such profile or its file is invalid
   */
  public static CpuProfile load(String name) {
    CpuProfile cached = CACHE.get(name);
    if (cached != null) {
      return cached;
    }
    if (!NAME.matcher(name).matches()) {
      throw new ProfileException("invalid profile name '" + name + "'; known: " + names());
    }
    String resource = RESOURCE_DIR + name + ".yaml";
    try (InputStream in = CpuProfiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ProfileException("no CPU profile '" + name + "'; known: " + names());
      }
      CpuProfile p = parse(resource, name, in);
      CACHE.putIfAbsent(name, p);
      return p;
    } catch (IOException e) {
      throw new ProfileException(resource + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Parses and validates a profile from YAML text.
   *
   * @param file the file name to put in error messages
   * @param expectedName the name the file must declare (its file name), or null to accept any
   */
  public static CpuProfile parse(String file, String expectedName, InputStream yaml) {
    CpuProfile p;
    try {
      p = MAPPER.readValue(yaml, CpuProfile.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ProfileException(
          file + where(e) + ": unknown key '" + path(e) + "'; expected one of "
              + e.getKnownPropertyIds(), e);
    } catch (JsonMappingException e) {
      throw new ProfileException(
          file + where(e) + ": bad value at '" + path(e) + "': " + e.getOriginalMessage(), e);
    } catch (JacksonException e) {
      throw new ProfileException(file + where(e) + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ProfileException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (p == null) {
      throw new ProfileException(file + ": empty profile");
    }
    if (expectedName != null && !expectedName.equals(p.name())) {
      throw new ProfileException(
          file + ": name '" + p.name() + "' differs from the file name '" + expectedName + "'");
    }
    validate(file, p);
    return p;
  }

  /** Dotted paths of every figure (leaf) of a profile, in declaration order. */
  public static List<String> figurePaths() {
    List<String> out = new ArrayList<>();
    collectPaths(CpuProfile.class, "", out);
    return out;
  }

  /** The value of the figure at a dotted path, e.g. {@code "memory.l1"}. */
  public static Object figure(CpuProfile profile, String path) {
    Object node = profile;
    for (String part : path.split("\\.")) {
      node = component(node, part);
    }
    return node;
  }

  private static void collectPaths(Class<?> type, String prefix, List<String> out) {
    for (RecordComponent c : type.getRecordComponents()) {
      String n = c.getName();
      if (type == CpuProfile.class
          && (n.equals("name") || n.equals("description") || n.equals("sources"))) {
        continue;
      }
      if (c.getType().isRecord()) {
        collectPaths(c.getType(), prefix + n + ".", out);
      } else {
        out.add(prefix + n);
      }
    }
  }

  private static Object component(Object record, String name) {
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      if (c.getName().equals(name)) {
        try {
          return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    throw new IllegalArgumentException("no figure '" + name + "' in " + record.getClass());
  }

  private static void validate(String file, CpuProfile p) {
    List<String> paths = figurePaths();
    for (String path : paths) {
      String src = p.source(path);
      if (src == null || src.isBlank()) {
        throw new ProfileException(file + ": figure '" + path + "' has no entry in sources");
      }
      Object v = figure(p, path);
      if (v instanceof Integer i && i < 0) {
        throw new ProfileException(file + ": '" + path + "' must not be negative, got " + i);
      }
    }
    for (String key : p.sources().keySet()) {
      if (!paths.contains(key) && paths.stream().noneMatch(f -> f.startsWith(key + "."))) {
        throw new ProfileException(file + ": sources names unknown figure '" + key + "'");
      }
    }
    if (!(p.frequencyGhz() > 0)) {
      throw new ProfileException(file + ": 'frequencyGhz' must be positive");
    }
    String[] positive = {
      "pipeline.issueWidth", "pipeline.robEntries", "pipeline.loadPorts", "pipeline.aluPorts",
      "pipeline.storePorts",
      "pipeline.storeBufferEntries", "alu.simple", "memory.l1", "memory.l2", "memory.llc",
      "memory.dram", "memory.storeForward", "branch.takenPerCycle", "branch.mispredictPenalty",
      "branch.returnStackEntries", "system.lockedRmw", "caches.llc.sharedByCores"
    };
    for (String path : positive) {
      if ((Integer) figure(p, path) <= 0) {
        throw new ProfileException(file + ": '" + path + "' must be positive");
      }
    }
    powerOfTwo(file, "branch.predictorEntries", p.branch().predictorEntries());
    powerOfTwo(file, "branch.btbEntries", p.branch().btbEntries());
    int line = p.caches().lineBytes();
    powerOfTwo(file, "caches.lineBytes", line);
    if (line < 8) {
      throw new ProfileException(file + ": 'caches.lineBytes' must be at least 8");
    }
    int l1Sets =
        sets(file, "caches.l1d", p.caches().l1d().sizeKiB(), p.caches().l1d().ways(), line);
    powerOfTwo(file, "caches.l1d sets", l1Sets);
    int l2Sets = sets(file, "caches.l2", p.caches().l2().sizeKiB(), p.caches().l2().ways(), line);
    powerOfTwo(file, "caches.l2 sets", l2Sets);
    sets(file, "caches.llc", p.caches().llc().sizeKiB(), p.caches().llc().ways(), line);
  }

  private static int sets(String file, String path, int sizeKiB, int ways, int line) {
    long lines = (long) sizeKiB * 1024 / line;
    if (sizeKiB <= 0 || ways <= 0 || lines % ways != 0 || lines / ways == 0) {
      throw new ProfileException(
          file + ": '" + path + "' " + sizeKiB + " KiB is not a whole number of " + ways
              + "-way sets of " + line + "-byte lines");
    }
    return (int) (lines / ways);
  }

  private static void powerOfTwo(String file, String path, int v) {
    if (v <= 0 || Integer.bitCount(v) != 1) {
      throw new ProfileException(file + ": '" + path + "' must be a power of two, got " + v);
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String where(JacksonException e) {
    JsonLocation loc = e.getLocation();
    if (loc == null || loc.getLineNr() <= 0) {
      return "";
    }
    return String.format(Locale.ROOT, ":%d:%d", loc.getLineNr(), loc.getColumnNr());
  }
}
