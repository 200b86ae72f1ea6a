package org.vcpusim.scenarios.result;

import org.vcpusim.scenarios.scenario.Verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ResultJsonWriterTest {
  static RunResult small() {
    TreeMap<String, Long> aborts = new TreeMap<>();
    aborts.put("signal", 2L);
    aborts.put("preempt", 5L);
    VariantResult v = new VariantResult("gs-mm_cid", "gs-mm_cid", "mm_cid-6.19", "on-change", 1000,
        22.3456, 22, 40.0005, 17.1, 7.0, aborts, 3, 1, 4, 8192,
        new CycleStack(20000, 100, 300, 4000, 500, 160, 0, 900),
        List.of(new Violation("cid_unique", 1500, 1, 5, "tab\there \"q\" \\ \u0001")),
        new VariantNotes(Verdict.PASS, 40, 110, 2, 2));
    VariantResult empty = new VariantResult("rseq-cpu", "rseq-cpu", "cpu", "legacy", 0, Double.NaN,
        Double.NaN, Double.NaN, Double.NaN, Double.NaN, new TreeMap<>(), 0, -1, 0, 0,
        CycleStack.ZERO, List.of(), new VariantNotes(Verdict.PASS, 40, 110, 0, 0));
    return new RunResult("golden", 7, List.of(v, empty), new HostInfo(0.25, 1000, 20, 0.004),
        new ScenarioEcho("golden.yaml", "", "scenario: golden\n", Optional.empty()));
  }

  static final String GOLDEN_WITHOUT_HOST = """
      {
        "schema": 1,
        "scenario": "golden",
        "seed": 7,
        "variants": [
          {
            "name": "gs-mm_cid",
            "abi": "gs-mm_cid",
            "cid_allocator": "mm_cid-6.19",
            "id_update": "on-change",
            "ops": 1000,
            "cycles_per_op": 22.346,
            "cycles_per_op_p50": 22.000,
            "cycles_per_op_p99": 40.000,
            "instructions_per_op": 17.100,
            "loads_per_op": 7.000,
            "rseq_aborts": {
              "preempt": 5,
              "signal": 2
            },
            "cid_changes": 3,
            "max_cid": 1,
            "gs_writes": 4,
            "footprint_bytes": 8192,
            "cycle_stack": {
              "fast_path": 20000,
              "abort_restart": 100,
              "slow_path": 300,
              "kernel_switch": 4000,
              "return_to_user": 500,
              "gs_write": 160,
              "membarrier": 0,
              "idle": 900
            },
            "violations": [
              {
                "kind": "cid_unique",
                "tick": 1500,
                "cpu": 1,
                "task": 5,
                "message": "tab\\there \\"q\\" \\\\ \\u0001"
              }
            ]
          },
          {
            "name": "rseq-cpu",
            "abi": "rseq-cpu",
            "cid_allocator": "cpu",
            "id_update": "legacy",
            "ops": 0,
            "cycles_per_op": null,
            "cycles_per_op_p50": null,
            "cycles_per_op_p99": null,
            "instructions_per_op": null,
            "loads_per_op": null,
            "rseq_aborts": {},
            "cid_changes": 0,
            "max_cid": -1,
            "gs_writes": 0,
            "footprint_bytes": 0,
            "cycle_stack": {
              "fast_path": 0,
              "abort_restart": 0,
              "slow_path": 0,
              "kernel_switch": 0,
              "return_to_user": 0,
              "gs_write": 0,
              "membarrier": 0,
              "idle": 0
            },
            "violations": []
          }
        ]
      }
      """;

  @Test
  void writesSchemaOneExactlyWithoutHost() {
    assertEquals(GOLDEN_WITHOUT_HOST, ResultJsonWriter.toJsonWithoutHost(small()));
  }

  @Test
  void hostComesLastWithFixedDecimals() {
    String json = ResultJsonWriter.toJson(small());
    String expectedTail = """
          ],
          "host": {
            "wall_seconds": 0.250,
            "simulated_instructions": 1000,
            "events": 20,
            "mips": 0.004
          }
        }
        """;
    assertTrue(json.endsWith(expectedTail), json);
    assertEquals(GOLDEN_WITHOUT_HOST.substring(0, GOLDEN_WITHOUT_HOST.length() - 6),
        json.substring(0, GOLDEN_WITHOUT_HOST.length() - 6));
  }

  @Test
  void isValidJsonWithTheSchemaKeysInOrder() throws Exception {
    JsonNode root = new ObjectMapper().readTree(ResultJsonWriter.toJson(SampleResults.fourVariants()));
    assertEquals(List.of("schema", "scenario", "seed", "variants", "host"), keys(root));
    assertEquals(List.of("name", "abi", "cid_allocator", "id_update", "ops", "cycles_per_op",
        "cycles_per_op_p50", "cycles_per_op_p99", "instructions_per_op", "loads_per_op",
        "rseq_aborts", "cid_changes", "max_cid", "gs_writes", "footprint_bytes", "cycle_stack",
        "violations"), keys(root.get("variants").get(0)));
    assertEquals(CycleStack.KEYS, keys(root.get("variants").get(0).get("cycle_stack")));
    assertEquals(List.of("kind", "tick", "cpu", "task", "message"),
        keys(root.get("variants").get(2).get("violations").get(0)));
    assertEquals(List.of("wall_seconds", "simulated_instructions", "events", "mips"),
        keys(root.get("host")));
    assertFalse(root.get("variants").get(2).get("violations").get(0).has("excerpt"),
        "excerpts are report-only");
  }

  @Test
  void sameBytesUnderAnyDefaultLocale() {
    Locale saved = Locale.getDefault();
    List<String> outputs = new ArrayList<>();
    try {
      for (String tag : List.of("en-US", "de-DE", "ar-EG", "hi-IN-u-nu-deva", "tr-TR")) {
        Locale.setDefault(Locale.forLanguageTag(tag));
        outputs.add(ResultJsonWriter.toJson(SampleResults.fourVariants()));
      }
    } finally {
      Locale.setDefault(saved);
    }
    for (String o : outputs) {
      assertEquals(outputs.get(0), o);
    }
    assertTrue(outputs.get(0).contains("\"mips\": 82.305"), outputs.get(0));
  }

  @Test
  void decimalsAreRoundedHalfEvenWithoutNegativeZero() {
    assertEquals("0.000", Decimals.fixed(-0.0, 3));
    assertEquals("0.000", Decimals.fixed(-0.0001, 3));
    assertEquals("2.4", Decimals.fixed(2.45, 1));
    assertEquals("0.12", Decimals.fixed(0.125, 2));
    assertEquals("1234567.125", Decimals.fixed(1234567.125, 3));
    assertThrows(IllegalArgumentException.class, () -> Decimals.fixed(Double.NaN, 1));
  }

  @Test
  void rejectsWrongSchemaAndDuplicateVariants() {
    RunResult r = small();
    assertThrows(IllegalArgumentException.class,
        () -> new RunResult(2, r.scenario(), r.seed(), r.variants(), r.host(), r.echo()));
    assertThrows(IllegalArgumentException.class, () -> new RunResult(r.scenario(), r.seed(),
        List.of(r.variants().get(0), r.variants().get(0)), r.host(), r.echo()));
  }

  private static List<String> keys(JsonNode node) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }
}
