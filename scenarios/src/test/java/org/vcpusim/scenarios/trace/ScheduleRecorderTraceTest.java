package org.vcpusim.scenarios.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.asm.Assembler;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.cpu.profile.CpuProfiles;
import org.vcpusim.kernel.machine.Machine;
import org.vcpusim.kernel.machine.MachineConfig;
import org.vcpusim.kernel.machine.ProcessOptions;
import org.vcpusim.kernel.machine.RunOutcome;
import org.vcpusim.kernel.machine.UserLayout;
import org.vcpusim.kernel.sched.SchedParams;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.topology.CpuTopology;

/**
 * A real machine run recorded and written as {@code trace.json}: three threads of a librseq-style
 * per-CPU counter program (the kernel selftest {@code param_test}'s increment, as sim-kernel's
 * {@code RseqPrograms} writes it, with a chain of dependent multiplies inside the critical section
 * so that most of the time, and so most preemptions, fall inside it) on two CPUs, with a 10 µs tick so that preemptions, migrations
 * (cid changes under the {@code cpu} allocator) and rseq aborts happen within a few milliseconds.
 */
class ScheduleRecorderTraceTest {
  static final CpuProfile ZEN5 = CpuProfiles.load("zen5");
  static final int CPUS = 2;
  static final int THREADS = 3;
  static final int REPS = 30_000;

  static final String PROGRAM = """
        .set RSEQ_CPU_ID, 4
        .set RSEQ_CS, 8
        .data
        .balign 64
      counters: .zero 64
        .text
        .globl main
      main:
        xor %edi, %edi
        mov $60, %eax
        syscall
        .globl worker
      worker:
        push %rbx
        push %r12
        mov %rdi, %rbx
        mov __rseq_offset(%rip), %r12
      loop:
        .pushsection __rseq_cs, "aw"
        .balign 32
      inc_cs:
        .long 0, 0
        .quad inc_start, inc_post - inc_start, inc_abort
        .popsection
      inc_retry:
        lea inc_cs(%rip), %rax
        mov %rax, %fs:RSEQ_CS(%r12)
      inc_start:
        mov %fs:RSEQ_CPU_ID(%r12), %ecx
        lea counters(%rip), %rdx
        mov (%rdx,%rcx,8), %rax
        mov %rax, %r8
        imul %r8, %r8
        imul %r8, %r8
        imul %r8, %r8
        imul %r8, %r8
        imul %r8, %r8
        imul %r8, %r8
        add $1, %rax
        mov %rax, (%rdx,%rcx,8)
      inc_post:
        dec %rbx
        jnz loop
        pop %r12
        pop %rbx
        xor %eax, %eax
        ret
        .byte 0x0f, 0xb9, 0x3d
        .long 0x53053053
      inc_abort:
        jmp inc_retry
      """;

  @TempDir Path tmp;

  private static Machine shared;
  private static ScheduleRecorder sharedRecorder;

  /** One recorded run shared by the tests that only read it (each run takes a second or two). */
  static synchronized ScheduleRecorder sharedRun() {
    if (shared == null) {
      ScheduleRecorder[] rec = new ScheduleRecorder[1];
      shared = run(rec, ScheduleRecorder.DEFAULT_MAX_EVENTS);
      sharedRecorder = rec[0];
    }
    return sharedRecorder;
  }

  /** A 10 µs tick, 40 µs latency, 10 µs granularities, 50 µs balancing. */
  static SchedParams fastSched() {
    return new SchedParams(100_000, 40 * Ticks.PER_MICROSECOND, 10 * Ticks.PER_MICROSECOND,
        10 * Ticks.PER_MICROSECOND, 50 * Ticks.PER_MICROSECOND, ZEN5.kernel().contextSwitch());
  }

  static Machine run(ScheduleRecorder[] out, int maxEvents) {
    Machine m = new Machine(MachineConfig.builder(CpuTopology.flat(CPUS), ZEN5).sched(fastSched())
        .seed(1).build());
    out[0] = ScheduleRecorder.attach(m, maxEvents);
    AssembledProgram prog = Assembler.assemble(PROGRAM, "trace-test.s",
        UserLayout.programLayout());
    Process p = m.spawnProcess("counter", prog, ProcessOptions.defaults().withEntry("main"));
    for (int i = 0; i < THREADS; i++) {
      m.spawnThread(p, "worker", new long[] {REPS}, null, "w" + i);
    }
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(50)));
    out[0].finish(m.now());
    return m;
  }

  @Test
  void traceOfARealRunIsValidTraceEventJson() throws Exception {
    ScheduleRecorder[] rec = {sharedRun()};
    Machine m = shared;
    Path file = tmp.resolve("trace.json");
    ChromeTraceWriter.write(file, List.of(new ChromeTraceWriter.Track("rseq-cpu", rec[0])));
    JsonNode root = new ObjectMapper().readTree(Files.readString(file));
    assertEquals("ns", root.get("displayTimeUnit").asText());
    JsonNode events = root.get("traceEvents");
    assertTrue(events.isArray() && events.size() > 10, "events: " + events.size());

    Map<Integer, List<BigDecimal[]>> runsByCpu = new HashMap<>();
    Set<String> instantCats = new TreeSet<>();
    Set<String> threadNames = new TreeSet<>();
    long instants = 0;
    for (JsonNode e : events) {
      for (String f : List.of("ph", "ts", "pid", "tid", "name")) {
        assertTrue(e.has(f), "missing " + f + " in " + e);
      }
      assertEquals(1, e.get("pid").asInt());
      BigDecimal ts = e.get("ts").decimalValue();
      assertTrue(ts.signum() >= 0, e.toString());
      switch (e.get("ph").asText()) {
        case "X" -> {
          assertTrue(e.has("dur"), e.toString());
          BigDecimal dur = e.get("dur").decimalValue();
          assertTrue(dur.signum() >= 0, e.toString());
          assertTrue(e.get("name").asText().matches("tid \\d+ \\(counter\\)"), e.toString());
          runsByCpu.computeIfAbsent(e.get("tid").asInt(), c -> new ArrayList<>())
              .add(new BigDecimal[] {ts, ts.add(dur)});
        }
        case "i" -> {
          assertEquals("t", e.get("s").asText(), e.toString());
          instantCats.add(e.get("cat").asText());
          instants++;
        }
        case "M" -> {
          if (e.get("name").asText().equals("thread_name")) {
            threadNames.add(e.get("args").get("name").asText());
          }
        }
        default -> throw new AssertionError("unexpected phase " + e);
      }
    }
    assertEquals(Set.of("cpu 0", "cpu 1"), threadNames);
    assertEquals(Set.of(0, 1), runsByCpu.keySet(), "both CPUs ran tasks");
    for (Map.Entry<Integer, List<BigDecimal[]>> cpu : runsByCpu.entrySet()) {
      List<BigDecimal[]> runs = cpu.getValue();
      runs.sort((a, b) -> a[0].compareTo(b[0]));
      for (int i = 1; i < runs.size(); i++) {
        assertTrue(runs.get(i)[0].compareTo(runs.get(i - 1)[1]) >= 0,
            "overlapping runs on cpu " + cpu.getKey() + ": [" + runs.get(i - 1)[0] + ", "
                + runs.get(i - 1)[1] + "] and [" + runs.get(i)[0] + ", " + runs.get(i)[1] + "]");
      }
    }
    long aborts = m.rseq().totalAborts();
    assertTrue(aborts > 0, "a run without aborts proves nothing about their markers");
    assertTrue(instantCats.contains("rseq"), instantCats.toString());
    long abortMarkers = rec[0].events().stream()
        .filter(e -> e.type() == TraceEvent.Type.RSEQ_ABORT).count();
    assertEquals(aborts, abortMarkers, "one marker per abort");
    long cidMarkers = rec[0].events().stream()
        .filter(e -> e.type() == TraceEvent.Type.CID_CHANGE).count();
    assertTrue(instants >= aborts + cidMarkers);
    assertFalse(root.get("otherData").get("pid 1 truncated").asBoolean());
  }

  @Test
  void sameRunGivesTheSameTraceBytes() {
    ScheduleRecorder[] a = {sharedRun()};
    ScheduleRecorder[] b = new ScheduleRecorder[1];
    run(b, ScheduleRecorder.DEFAULT_MAX_EVENTS);
    assertEquals(ChromeTraceWriter.toJson(List.of(new ChromeTraceWriter.Track("v", a[0]))),
        ChromeTraceWriter.toJson(List.of(new ChromeTraceWriter.Track("v", b[0]))));
  }

  @Test
  void capBoundsTheEventsAndTheTraceSaysSo() throws Exception {
    ScheduleRecorder[] rec = new ScheduleRecorder[1];
    run(rec, 20);
    assertEquals(20, rec[0].events().size());
    assertTrue(rec[0].droppedEvents() > 0);
    JsonNode root = new ObjectMapper().readTree(
        ChromeTraceWriter.toJson(List.of(new ChromeTraceWriter.Track("v", rec[0]))));
    assertTrue(root.get("otherData").get("pid 1 truncated").asBoolean());
    assertEquals(rec[0].droppedEvents(),
        root.get("otherData").get("pid 1 dropped_events").asLong());
    boolean marker = false;
    for (JsonNode e : root.get("traceEvents")) {
      marker |= e.get("name").asText().startsWith("trace truncated");
    }
    assertTrue(marker, "a truncation marker on the timeline");
  }

  @Test
  void excerptIsTheCpusLastScheduleLinesUpToTheTick() {
    ScheduleRecorder[] rec = {sharedRun()};
    Machine m = shared;
    List<String> lines = rec[0].excerpt(1, m.now());
    assertFalse(lines.isEmpty());
    assertTrue(lines.size() <= ScheduleRecorder.EXCERPT_LINES);
    double last = -1;
    for (String l : lines) {
      assertTrue(l.contains(" us  cpu 1  "), l);
      double t = Double.parseDouble(l.substring(0, l.indexOf(' ')));
      assertTrue(t >= last, "oldest first: " + lines);
      last = t;
    }
    assertTrue(rec[0].excerpt(-1, m.now()).isEmpty());
    assertTrue(rec[0].excerpt(1, 0).size() <= 1, "nothing after the tick asked for");
  }

  @Test
  void microsAreExact() {
    assertEquals("0.000000", ChromeTraceWriter.micros(0));
    assertEquals("1.000001", ChromeTraceWriter.micros(1_000_001));
    assertEquals("123456789.123456", ChromeTraceWriter.micros(123_456_789_123_456L));
  }
}
