package org.vcpusim.cpu.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CpuProfilesTest {
  private static String text(String name) throws IOException {
    try (InputStream in = CpuProfiles.class.getClassLoader()
        .getResourceAsStream("profiles/" + name + ".yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static CpuProfile parse(String yaml) {
    return CpuProfiles.parse("edited.yaml", null,
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void namesAreSortedAndIncludeZen5AndIcelake() {
    List<String> names = CpuProfiles.names();
    assertEquals(List.copyOf(new TreeSet<>(names)), names);
    assertTrue(names.contains("zen5"));
    assertTrue(names.contains("icelake"));
  }

  @Test
  void indexListsExactlyTheProfileFiles() throws IOException {
    Path dir = Path.of("src/main/resources/profiles");
    TreeSet<String> files = new TreeSet<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
          .forEach(f -> files.add(f.substring(0, f.length() - 5)));
    }
    assertEquals(List.copyOf(files), CpuProfiles.names());
  }

  @ParameterizedTest
  @ValueSource(strings = {"zen5", "icelake"})
  void everyFigureIsPresentPositiveWhereItMustBeAndSourced(String name) {
    CpuProfile p = CpuProfiles.load(name);
    assertEquals(name, p.name());
    assertTrue(p.frequencyGhz() > 0);
    List<String> paths = CpuProfiles.figurePaths();
    assertTrue(paths.size() > 60, "figures " + paths.size());
    for (String path : paths) {
      Object v = CpuProfiles.figure(p, path);
      assertNotNull(v, path);
      if (v instanceof Integer i) {
        boolean mayBeZero =
            path.equals("alu.movRegister")
                || path.equals("branch.takenBubble")
                || path.equals("branch.callReturnCycles");
        assertTrue(mayBeZero ? i >= 0 : i > 0, path + " = " + i);
      }
      String source = p.source(path);
      assertNotNull(source, path);
      assertTrue(source.length() > 20, "source of " + path + ": " + source);
    }
    assertSame(p, CpuProfiles.load(name));
  }

  @Test
  void profilesCarryTheReferenceFigures() {
    CpuProfile zen5 = CpuProfiles.load("zen5");
    CpuProfile icl = CpuProfiles.load("icelake");
    assertEquals(4, zen5.memory().l1()); // userspace.md §5.1
    assertEquals(5, icl.memory().l1()); // userspace.md §5.1, §7 decision 3
    assertEquals(1, zen5.memory().segmentBasePenalty());
    assertEquals(3.4, zen5.frequencyGhz(), 1e-9);
    assertEquals(19, icl.system().lockedRmw());
    assertTrue(zen5.features().fsgsbase() && icl.features().rdpid());
    assertEquals(1000, zen5.cyclesToPicos(34) / 10);
    assertEquals(34, zen5.picosToCycles(10_000));
  }

  @Test
  void unknownKeyIsRejectedWithItsName() throws IOException {
    String yaml = text("zen5").replace("  l1: 4\n", "  l1: 4\n  l1Latency: 4\n");
    ProfileException e = assertThrows(ProfileException.class, () -> parse(yaml));
    assertTrue(e.getMessage().contains("l1Latency"), e.getMessage());
    assertTrue(e.getMessage().contains("memory"), e.getMessage());
  }

  @Test
  void missingKeyIsRejectedWithItsName() throws IOException {
    String yaml = text("icelake").replace("  dram: 340\n", "");
    ProfileException e = assertThrows(ProfileException.class, () -> parse(yaml));
    assertTrue(e.getMessage().contains("dram"), e.getMessage());
  }

  @Test
  void fractionalCycleCountIsRejected() throws IOException {
    String yaml = text("zen5").replace("  l1: 4\n", "  l1: 4.4\n");
    ProfileException e = assertThrows(ProfileException.class, () -> parse(yaml));
    assertTrue(e.getMessage().contains("l1"), e.getMessage());
  }

  @Test
  void figureWithoutSourceIsRejected() throws IOException {
    String yaml = text("zen5").lines()
        .filter(l -> !l.startsWith("  memory.storeForward:"))
        .reduce("", (a, b) -> a + b + "\n");
    ProfileException e = assertThrows(ProfileException.class, () -> parse(yaml));
    assertTrue(e.getMessage().contains("memory.storeForward"), e.getMessage());
  }

  @Test
  void sourceForAnUnknownFigureIsRejected() throws IOException {
    String yaml = text("zen5") + "  memory.l4: \"a typo in a source key\"\n";
    ProfileException e = assertThrows(ProfileException.class, () -> parse(yaml));
    assertTrue(e.getMessage().contains("memory.l4"), e.getMessage());
  }

  @Test
  void cacheGeometryMustDivideIntoSets() throws IOException {
    String yaml = text("zen5").replace("l1d: {sizeKiB: 48, ways: 12}",
        "l1d: {sizeKiB: 48, ways: 7}");
    ProfileException e = assertThrows(ProfileException.class, () -> parse(yaml));
    assertTrue(e.getMessage().contains("caches.l1d"), e.getMessage());
  }

  @Test
  void unknownProfileNamesTheKnownOnes() {
    ProfileException e = assertThrows(ProfileException.class, () -> CpuProfiles.load("zen9"));
    assertTrue(e.getMessage().contains("zen5") && e.getMessage().contains("icelake"),
        e.getMessage());
    assertFalse(e.getMessage().isBlank());
  }
}
