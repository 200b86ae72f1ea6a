package org.vcpusim.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class StatsRegistryTest {

  private static StatsRegistry sample() {
    StatsRegistry stats = new StatsRegistry();
    // Registered out of order on purpose.
    stats.doubleGauge("sched.utilization").set(0.5);
    stats.counter("cpu3.l1d.misses").add(12);
    stats.longGauge("mm1.cids_in_use").set(-2);
    stats.counter("cpu10.l1d.misses").increment();
    stats.doubleGauge("host.tiny").set(1.0e-5);
    Distribution wait = stats.distribution("sched.wait_ticks");
    for (long v = 1; v <= 100; v++) {
      wait.record(v * 1_000);
    }
    stats.distribution("sched.empty");
    return stats;
  }

  private static final String EXPECTED_JSON = String.join("\n",
      "{",
      "  \"cpu10.l1d.misses\": 1,",
      "  \"cpu3.l1d.misses\": 12,",
      "  \"host.tiny\": 1.0E-5,",
      "  \"mm1.cids_in_use\": -2,",
      "  \"sched.empty\": {",
      "    \"count\": 0,",
      "    \"min\": null,",
      "    \"max\": null,",
      "    \"mean\": null,",
      "    \"p50\": null,",
      "    \"p90\": null,",
      "    \"p99\": null,",
      "    \"p999\": null",
      "  },",
      "  \"sched.utilization\": 0.5,",
      "  \"sched.wait_ticks\": {",
      "    \"count\": 100,",
      "    \"min\": 1000,",
      "    \"max\": 100000,",
      "    \"mean\": 50500.0,",
      "    \"p50\": 50015,",
      "    \"p90\": 90047,",
      "    \"p99\": 99007,",
      "    \"p999\": 100000",
      "  }",
      "}",
      "");

  @Test
  void jsonIsSortedByNameAndLocaleIndependent() {
    Locale original = Locale.getDefault();
    try {
      for (Locale locale : List.of(Locale.ROOT, Locale.GERMANY, new Locale("tr", "TR"),
          new Locale("ar", "EG"), new Locale("hi", "IN"))) {
        Locale.setDefault(locale);
        assertEquals(EXPECTED_JSON, sample().toJson(), () -> "under locale " + locale);
      }
    } finally {
      Locale.setDefault(original);
    }
  }

  @Test
  void registrationOrderDoesNotChangeTheOutput() {
    StatsRegistry a = new StatsRegistry();
    a.counter("b.x").add(2);
    a.counter("a.y").add(1);
    StatsRegistry b = new StatsRegistry();
    b.counter("a.y").add(1);
    b.counter("b.x").add(2);
    assertEquals(a.toJson(), b.toJson());
    assertEquals(List.of("a.y", "b.x"), a.names());
  }

  @Test
  void namesAreValidated() {
    StatsRegistry stats = new StatsRegistry();
    for (String bad : List.of("", ".", "cpu3.", ".cpu3", "cpu3..misses", "cpu 3.misses",
        "cpu3.mi\tsses", "cpu3.misses\n", "ıdle", "cpu3/misses")) {
      assertThrows(IllegalArgumentException.class, () -> stats.counter(bad), bad);
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> stats.counter("cpu3..misses"));
    assertTrue(e.getMessage().contains("empty segment at index 5"), e.getMessage());
    IllegalArgumentException space =
        assertThrows(IllegalArgumentException.class, () -> stats.counter("a b"));
    assertTrue(space.getMessage().contains("U+0020"), space.getMessage());
    assertEquals(0, stats.size());
    stats.counter("CPU_3.l1-d.IRQ");
    assertEquals(1, stats.size());
  }

  @Test
  void aNameIsEitherAStatisticOrAGroup() {
    StatsRegistry stats = new StatsRegistry();
    stats.counter("cpu3.l1d.misses");
    assertThrows(IllegalArgumentException.class, () -> stats.counter("cpu3.l1d"));
    assertThrows(IllegalArgumentException.class, () -> stats.counter("cpu3"));
    assertThrows(IllegalArgumentException.class, () -> stats.counter("cpu3.l1d.misses.x"));
    stats.counter("cpu3.l1d.hits");
    stats.counter("cpu3.l1dx");
    assertEquals(List.of("cpu3.l1d.hits", "cpu3.l1d.misses", "cpu3.l1dx"), stats.names());
  }

  @Test
  void lookupsAreGetOrCreateAndKindChecked() {
    StatsRegistry stats = new StatsRegistry();
    Counter c = stats.counter("x.count");
    c.add(5);
    assertSame(c, stats.counter("x.count"));
    assertEquals(5, stats.counter("x.count").value());
    assertThrows(IllegalArgumentException.class, () -> stats.longGauge("x.count"));
    stats.distribution("x.lat", 2);
    assertThrows(IllegalArgumentException.class, () -> stats.distribution("x.lat", 3));
    assertSame(c, stats.find("x.count").orElseThrow());
    assertTrue(stats.find("x.none").isEmpty());
  }

  @Test
  void statisticsRejectWhatJsonOrTheirMeaningCannotHold() {
    StatsRegistry stats = new StatsRegistry();
    assertThrows(IllegalArgumentException.class, () -> stats.counter("c").add(-1));
    assertThrows(IllegalArgumentException.class, () -> stats.doubleGauge("g").set(Double.NaN));
    assertThrows(IllegalArgumentException.class,
        () -> stats.doubleGauge("g").set(Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> stats.distribution("d").record(-1));
    stats.counter("c").add(Long.MAX_VALUE);
    assertThrows(ArithmeticException.class, () -> stats.counter("c").increment());
  }

  @Test
  void distributionReportsExactExtremesAndBoundedPercentiles() {
    Distribution d = new StatsRegistry().distribution("lat");
    d.record(7);
    d.record(1_000_003, 3);
    assertEquals(4, d.count());
    assertEquals(7, d.min());
    assertEquals(1_000_003, d.max());
    assertEquals(1_000_003, d.valueAtPercentile(100));
    assertTrue(d.valueAtPercentile(50) <= d.max());
    assertThrows(IllegalArgumentException.class, () -> d.valueAtPercentile(101));
    assertEquals((7 + 3 * 1_000_003) / 4.0, d.mean());
  }

  @Test
  void meanUsesTheExactSumBeyondSixtyFourBits() {
    Distribution d = new StatsRegistry().distribution("big");
    d.record(Distribution.MAX_VALUE, 1_000);
    d.record(Distribution.MAX_VALUE - 1, 1_000);
    // The sum is about 4.6e21, far past Long.MAX_VALUE.
    assertEquals((double) Distribution.MAX_VALUE - 0.5, d.mean());
    assertEquals(2_000, d.count());
    assertThrows(IllegalArgumentException.class, () -> d.record(Distribution.MAX_VALUE + 1));
  }

  @Test
  void resetAllReturnsEveryStatisticToItsInitialState() {
    StatsRegistry stats = sample();
    stats.resetAll();
    String json = stats.toJson();
    assertTrue(json.contains("\"cpu3.l1d.misses\": 0,"), json);
    assertTrue(json.contains("\"sched.utilization\": 0.0,"), json);
    assertTrue(json.contains("\"sched.wait_ticks\": {\n    \"count\": 0,"), json);
    assertEquals(0, stats.distribution("sched.wait_ticks").max());
  }
}
