package org.vcpusim.scenarios.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad scenario files: each row is a small file, the exact {@code line:column} its error must name
 * and a fragment of the message. The point is the position: an unknown key at the key, a missing
 * key at the enclosing mapping, a bad value at the value (inside a CPU list at the character), a
 * YAML syntax error where the YAML scanner stopped.
 */
class ScenarioLoaderErrorsTest {
  /** The lines every row below starts from unless it replaces them. */
  private static final String MACHINE = "machine: {cpus: 4}\n";
  private static final String PROCESSES = "processes:\n  - {name: app, threads: 2, workload: w}\n";
  private static final String WORKLOADS = "workloads:\n  - {name: w, kind: slab}\n";
  private static final String DURATION = "duration: {ops: 10}\n";

  static Stream<Arguments> badFiles() {
    return Stream.of(
        row("unknown key at the root",
            "scenario: t\nmachin: {cpus: 4}\n" + PROCESSES + WORKLOADS + DURATION,
            2, 1, "unknown key 'machin'; allowed: scenario, description"),
        row("unknown key in a nested flow mapping",
            "scenario: t\nmachine: {cpus: 4, cpu: 2}\n" + PROCESSES + WORKLOADS + DURATION,
            2, 20, "machine: unknown key 'cpu'"),
        row("unknown key in a list item",
            "scenario: t\n" + MACHINE + "processes:\n  - name: app\n    thread: 2\n"
                + "    workload: w\n" + WORKLOADS + DURATION,
            5, 5, "processes[0]: unknown key 'thread'"),
        row("wrong type",
            "scenario: t\nmachine:\n  cpus: eight\n" + PROCESSES + WORKLOADS + DURATION,
            3, 9, "machine.cpus: expected an integer, found the string 'eight'"),
        row("a mapping where a scalar belongs",
            "scenario: t\n" + MACHINE + PROCESSES + WORKLOADS + DURATION
                + "expect: {pass: true}\n",
            8, 9, "expect: expected one of [pass, fail], found a mapping"),
        row("a scalar where a list belongs",
            "scenario: t\n" + MACHINE + "processes: app\n" + WORKLOADS + DURATION,
            3, 12, "processes: expected a list, found the string 'app'"),
        row("out of range",
            "scenario: t\nmachine:\n  cpus: 300\n" + PROCESSES + WORKLOADS + DURATION,
            3, 9, "machine.cpus: 300 is out of range; allowed 1..256"),
        row("out-of-range rate in a nested mapping",
            "scenario: t\n" + MACHINE + PROCESSES
                + "workloads:\n  - name: w\n    kind: slab\n    rates: {yields: -1}\n" + DURATION,
            8, 21, "workloads[0].rates.yields: -1 is out of range; allowed 0..1000000"),
        row("bad character in a quoted CPU list",
            "scenario: t\n" + MACHINE
                + "processes:\n  - name: app\n    affinity: \"0-2,x\"\n    workload: w\n"
                + WORKLOADS + DURATION,
            5, 20, "processes[0].affinity: bad CPU list '0-2,x': expected a CPU number, found 'x'"),
        row("CPU list beyond the machine",
            "scenario: t\n" + MACHINE
                + "processes:\n  - name: app\n    affinity: 0-7\n    workload: w\n"
                + WORKLOADS + DURATION,
            5, 17, "CPU 7 is not on this 4-CPU machine (CPUs 0-3)"),
        row("reversed CPU range",
            "scenario: t\n" + MACHINE
                + "processes:\n  - name: app\n    cpuset: '3-1'\n    workload: w\n"
                + WORKLOADS + DURATION,
            5, 16, "range 3-1 ends below its start"),
        row("missing required key at the root",
            "scenario: t\n" + MACHINE + PROCESSES + WORKLOADS,
            1, 1, "missing required key 'duration'"),
        row("missing required key in a list item",
            "scenario: t\n" + MACHINE + PROCESSES + "workloads:\n  - name: w\n    batch: 4\n"
                + DURATION,
            6, 5, "workloads[0]: missing required key 'kind'"),
        row("duplicate process group name",
            "scenario: t\n" + MACHINE + "processes:\n  - {name: app, workload: w}\n"
                + "  - {name: app, workload: w}\n" + WORKLOADS + DURATION,
            5, 12, "processes[1]: name 'app' is already used by processes[0] (line 4)"),
        row("duplicate workload name",
            "scenario: t\n" + MACHINE + PROCESSES
                + "workloads:\n  - {name: w, kind: slab}\n  - {name: w, kind: counter}\n"
                + DURATION,
            7, 12, "workloads[1]: name 'w' is already used by workloads[0]"),
        row("duplicate variant name from two ABI spellings",
            "scenario: t\n" + MACHINE + PROCESSES + WORKLOADS + DURATION
                + "variants:\n  - rseq-cpu\n  - {name: rseq-cpu, abi: gs-mm_cid}\n",
            10, 12, "variants[1]: name 'rseq-cpu' is already used by variants[0] (line 9)"),
        row("unknown workload",
            "scenario: t\n" + MACHINE + "processes:\n  - {name: app, workload: nope}\n"
                + WORKLOADS + DURATION,
            4, 27, "processes[0].workload: no workload 'nope'; defined: w"),
        row("both durations",
            "scenario: t\n" + MACHINE + PROCESSES + WORKLOADS
                + "duration: {simulated_ms: 5, ops: 10}\n",
            7, 29, "duration.ops: give simulated_ms or ops, not both"),
        row("neither duration",
            "scenario: t\n" + MACHINE + PROCESSES + WORKLOADS + "duration: {}\n",
            7, 11, "duration: missing simulated_ms or ops"),
        row("bad hex",
            "scenario: t\n" + MACHINE
                + "processes:\n  - name: app\n    gs_mode: {origin: 0x1G}\n    workload: w\n"
                + WORKLOADS + DURATION,
            5, 23, "processes[0].gs_mode.origin: bad hexadecimal integer '0x1G'"),
        row("unknown variant ABI",
            "scenario: t\n" + MACHINE + PROCESSES + WORKLOADS + DURATION
                + "variants:\n  - rseq-cpuid\n",
            9, 5, "variants[0]: unknown value 'rseq-cpuid'; allowed: rseq-cpu, rseq-mm_cid,"
                + " rseq-cpu-cached, gs-mm_cid"),
        row("unknown cid allocator",
            "scenario: t\n" + MACHINE + "kernel:\n  cid_allocator: mm_cid-7.0\n" + PROCESSES
                + WORKLOADS + DURATION,
            4, 18, "kernel.cid_allocator: unknown value 'mm_cid-7.0'; allowed: cpu, vcpu-2022,"
                + " mm_cid-6.4, mm_cid-6.19"),
        row("unknown allocator of one variant",
            "scenario: t\n" + MACHINE + PROCESSES + WORKLOADS + DURATION
                + "variants:\n  - {abi: rseq-mm_cid, cid_allocator: mmcid}\n",
            9, 39, "variants[0].cid_allocator: unknown value 'mmcid'"),
        row("a tab in the indentation: the YAML scanner's position",
            "scenario: t\nmachine:\n\tcpus: 4\n" + PROCESSES + WORKLOADS + DURATION,
            3, 1, "invalid YAML: found character '\\t(TAB)' that cannot start any token"),
        row("unterminated flow mapping: where the parser gave up",
            "scenario: t\nmachine: {cpus: 4\n" + PROCESSES + WORKLOADS + DURATION,
            3, 10, "invalid YAML: expected ',' or '}', but got : (while parsing a flow mapping)"),
        row("a repeated key",
            "scenario: t\nseed: 1\n" + MACHINE + "seed: 2\n" + PROCESSES + WORKLOADS + DURATION,
            4, 1, "key 'seed' repeated (first at line 2)"),
        row("a second document",
            "scenario: t\n" + MACHINE + PROCESSES + WORKLOADS + DURATION + "---\nseed: 2\n",
            9, 1, "a second YAML document"),
        row("an alias",
            "scenario: t\nmachine: {cpus: &n 4}\n"
                + "processes:\n  - {name: app, threads: *n, workload: w}\n" + WORKLOADS
                + DURATION,
            4, 26, "YAML aliases (*n) are not supported"),
        row("an empty file", "# nothing\n", 1, 1, "empty file"),
        row("quantum without quantum time mode",
            "scenario: t\nmachine: {cpus: 4, quantum_ns: 500}\n" + PROCESSES + WORKLOADS
                + DURATION,
            2, 20, "machine.quantum_ns: applies only with time_mode: quantum"),
        row("slab mix keys in a list workload",
            "scenario: t\n" + MACHINE + PROCESSES
                + "workloads:\n  - {name: w, kind: list, mix: {alloc: 1, free: 1}}\n" + DURATION,
            6, 33, "workloads[0].mix: unknown key 'alloc'; allowed: pop, push"),
        row("a slab key in a counter workload",
            "scenario: t\n" + MACHINE + PROCESSES
                + "workloads:\n  - {name: w, kind: counter, size_classes: 2}\n" + DURATION,
            6, 30, "workloads[0].size_classes: does not apply to a counter workload; its keys:"
                + " name, kind, think, rates"),
        row("batch above the slab capacity",
            "scenario: t\n" + MACHINE + PROCESSES
                + "workloads:\n  - {name: w, kind: slab, slab_capacity: 4, batch: 8}\n"
                + DURATION,
            6, 52, "workloads[0].batch: 8 is out of range; allowed 1..4"),
        row("a disabled check in fail_on",
            "scenario: t\n" + MACHINE + PROCESSES + WORKLOADS + DURATION
                + "checks: {disabled: [cid_compact], fail_on: [cid_unique, cid_compact]}\n",
            8, 57, "checks.fail_on[1]: cid_compact is disabled"),
        row("kinds are spelled exactly, not case-folded",
            "scenario: t\n" + MACHINE + PROCESSES + "workloads:\n  - {name: w, kind: SLAB}\n"
                + DURATION,
            6, 21, "workloads[0].kind: unknown value 'SLAB'; allowed: slab, counter, list,"
                + " spinlock"),
        row("a bad scenario name",
            "scenario: My_Test\n" + MACHINE + PROCESSES + WORKLOADS + DURATION,
            1, 11, "scenario: 'My_Test' is not a valid name"),
        row("a GS region beyond user space",
            "scenario: t\n" + MACHINE
                + "processes:\n  - name: app\n    gs_mode: {stride: 0x100000000,"
                + " origin: 0x7ffff0000000}\n    workload: w\n" + WORKLOADS + DURATION,
            5, 14, "beyond user space"),
        row("more threads than allowed",
            "scenario: t\n" + MACHINE + "processes:\n  - {name: app, count: 5, threads: 1000,"
                + " workload: w}\n" + WORKLOADS + DURATION,
            4, 5, "processes[0]: the scenario now has 5000 threads; allowed at most 4096"),
        row("topology that does not split into NUMA nodes",
            "scenario: t\nmachine: {sockets: 2, cores_per_socket: 6, numa_nodes: 3}\n"
                + PROCESSES + WORKLOADS + DURATION,
            2, 56, "machine.numa_nodes: 3 NUMA nodes do not split 2 socket(s)"));
  }

  private static Arguments row(String what, String yaml, int line, int column, String fragment) {
    return Arguments.of(what, yaml, line, column, fragment);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void errorNamesFileLineColumnAndProblem(
      String what, String yaml, int line, int column, String fragment) {
    ScenarioException e =
        assertThrows(ScenarioException.class, () -> ScenarioLoader.load(yaml, "bad.yaml"));
    assertEquals(line + ":" + column, e.line() + ":" + e.column(), e.getMessage());
    assertTrue(e.getMessage().startsWith("bad.yaml:" + line + ":" + column + ": "),
        e.getMessage());
    assertTrue(e.problem().contains(fragment), e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
  }
}
