package org.vcpusim.scenarios.asm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vcpusim.cpu.exec.MemoryLevel;

/**
 * Renders a {@link RoutineReport} as the {@code asm} command prints it: an aligned text table for
 * people, or one JSON object for scripts (benchmarks/calibrate reads {@code cycles_per_iteration}
 * from it).
 *
 * <p>JSON keys: {@code file, entry, entry_address, profile, iterations, warmup_iterations,
 * instructions_per_iteration, cycles_per_iteration, routine_cycles_per_iteration, latency_cycles
 * {cold, warm}, loads_per_iteration, stores_per_iteration, branches_per_iteration,
 * taken_branches_per_iteration, conditional_branches_per_iteration, mispredictions_per_iteration,
 * driver {instructions_per_iteration, cycles_per_iteration}, per_instruction [{address, line,
 * column, text, count, mean_cycles, loads, stores, taken, mispredicted, served_by {LEVEL: count}}],
 * dumps {location: hex bytes in memory order}, registers {name: hex}, process {fs_base, gs_base,
 * rseq_area, rseq_offset, stack_top}}. Addresses and register values are {@code 0x} hexadecimal
 * strings (64-bit values do not survive a JSON double); counts are integers; per-iteration figures
 * are numbers.
 *
 * <p>All formatting is locale-independent ({@link Locale#ROOT}).
 */
public final class RoutineReportFormat {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RoutineReportFormat() {}

  /** The report as one JSON object (indented, no trailing newline). */
  public static String json(RoutineReport r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("file", r.file());
    o.put("entry", r.entry());
    o.put("entry_address", Numbers.hex(r.entryAddress()));
    o.put("profile", r.profile());
    o.put("iterations", r.iterations());
    o.put("warmup_iterations", r.warmupIterations());
    o.put("instructions_per_iteration", r.instructionsPerIteration());
    o.put("cycles_per_iteration", r.cyclesPerIteration());
    o.put("routine_cycles_per_iteration", r.routineCyclesPerIteration());
    ObjectNode latency = o.putObject("latency_cycles");
    latency.put("cold", r.latency().cold());
    latency.put("warm", r.latency().warm());
    o.put("loads_per_iteration", r.loadsPerIteration());
    o.put("stores_per_iteration", r.storesPerIteration());
    o.put("branches_per_iteration", r.branches().all());
    o.put("taken_branches_per_iteration", r.branches().taken());
    o.put("conditional_branches_per_iteration", r.branches().conditional());
    o.put("mispredictions_per_iteration", r.branches().mispredicted());
    ObjectNode driver = o.putObject("driver");
    driver.put("instructions_per_iteration", r.driver().instructionsPerIteration());
    driver.put("cycles_per_iteration", r.driver().cyclesPerIteration());
    ArrayNode rows = o.putArray("per_instruction");
    for (RoutineReport.InstructionStats s : r.perInstruction()) {
      ObjectNode row = rows.addObject();
      row.put("address", Numbers.hex(s.address()));
      row.put("line", s.source().line());
      row.put("column", s.source().column());
      row.put("text", s.text());
      row.put("count", s.count());
      row.put("mean_cycles", s.meanCycles());
      row.put("loads", s.loads());
      row.put("stores", s.stores());
      row.put("taken", s.taken());
      row.put("mispredicted", s.mispredicted());
      ObjectNode served = row.putObject("served_by");
      for (Map.Entry<MemoryLevel, Long> e : s.servedBy().entrySet()) {
        served.put(e.getKey().name(), e.getValue());
      }
    }
    ObjectNode dumps = o.putObject("dumps");
    for (RoutineReport.Dump d : r.dumps().values()) {
      dumps.put(d.location(), d.hex());
    }
    ObjectNode registers = o.putObject("registers");
    for (Map.Entry<String, Long> e : r.registers().entrySet()) {
      registers.put(e.getKey(), Numbers.hex(e.getValue()));
    }
    ObjectNode process = o.putObject("process");
    process.put("fs_base", Numbers.hex(r.process().fsBase()));
    process.put("gs_base", Numbers.hex(r.process().gsBase()));
    process.put("rseq_area", Numbers.hex(r.process().rseqArea()));
    process.put("rseq_offset", r.process().rseqOffset());
    process.put("stack_top", Numbers.hex(r.process().stackTop()));
    return write(o);
  }

  /**
   * A stopped run as one JSON object: {@code {"stopped": {reason, phase, call, rip, file, line,
   * column, text, detail}, "message": ...}}; file, line, column and text are null when no
   * instruction is at {@code rip}. It has no {@code cycles_per_iteration}, so a script looking for
   * one finds none.
   */
  public static String json(RoutineStopped s) {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode st = o.putObject("stopped");
    st.put("reason", s.reason().name());
    st.put("phase", s.phase());
    st.put("call", s.call());
    st.put("rip", Numbers.hex(s.rip()));
    if (s.source() == null) {
      st.putNull("file");
      st.putNull("line");
      st.putNull("column");
    } else {
      st.put("file", s.source().file());
      st.put("line", s.source().line());
      st.put("column", s.source().column());
    }
    st.put("text", s.text());
    st.put("detail", s.detail());
    o.put("message", s.message());
    return write(o);
  }

  private static String write(ObjectNode o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings and numbers failed to serialize", e);
    }
  }

  /** The report as text: a per-instruction table, the per-call totals, latencies, state. */
  public static String text(RoutineReport r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "%s: %s (%#x) on %s: %d calls measured back to back after %d warm-up calls\n",
        r.file(), r.entry(), r.entryAddress(), r.profile(), r.iterations(),
        r.warmupIterations()));
    sb.append(String.format(Locale.ROOT,
        "(per instruction: executions, mean retire cycles, accesses and the farthest memory "
            + "level that served them, over the measured calls)\n\n"));
    List<String[]> table = new ArrayList<>();
    table.add(new String[] {"address", "line", "count", "cycles", "loads", "stores", "taken",
        "mispred", "served by", "instruction"});
    for (RoutineReport.InstructionStats s : r.perInstruction()) {
      table.add(new String[] {
        Numbers.hex(s.address()),
        Integer.toString(s.source().line()),
        Long.toString(s.count()),
        String.format(Locale.ROOT, "%.2f", s.meanCycles()),
        Long.toString(s.loads()),
        Long.toString(s.stores()),
        Long.toString(s.taken()),
        Long.toString(s.mispredicted()),
        servedBy(s.servedBy()),
        s.text()
      });
    }
    appendTable(sb, table, new boolean[] {true, true, true, true, true, true, true, true, false,
        false});
    double n = r.iterations();
    sb.append(String.format(Locale.ROOT, "\nper call (%d measured calls):\n", r.iterations()));
    sb.append(String.format(Locale.ROOT,
        "  cycles        %8.2f   driver loop included: routine's instructions %.2f, "
            + "driver's (call *%%rbx; decq %%r12; jnz) %.2f\n",
        r.cyclesPerIteration(), r.routineCyclesPerIteration(), r.driver().cyclesPerIteration()));
    sb.append(String.format(Locale.ROOT, "  instructions  %8.2f   (+ %.2f of the driver)\n",
        r.instructionsPerIteration(), r.driver().instructionsPerIteration()));
    sb.append(String.format(Locale.ROOT, "  loads         %8.2f\n", r.loadsPerIteration()));
    sb.append(String.format(Locale.ROOT, "  stores        %8.2f\n", r.storesPerIteration()));
    sb.append(String.format(Locale.ROOT,
        "  branches      %8.2f   taken %.2f, conditional %.2f, mispredicted %.2f\n",
        r.branches().all(), r.branches().taken(), r.branches().conditional(),
        r.branches().mispredicted()));
    sb.append(String.format(Locale.ROOT,
        "latency of one call (drained pipeline to the routine's ret): cold %d cycles, "
            + "warm %d cycles\n", r.latency().cold(), r.latency().warm()));
    sb.append(String.format(Locale.ROOT,
        "process: fs base %#x (rseq area %#x = fs + __rseq_offset %d), gs base %#x\n",
        r.process().fsBase(), r.process().rseqArea(), r.process().rseqOffset(),
        r.process().gsBase()));
    sb.append(String.format(Locale.ROOT, "registers after call %d:\n", (long) n));
    int k = 0;
    for (Map.Entry<String, Long> e : r.registers().entrySet()) {
      sb.append(String.format(Locale.ROOT, "  %-7s %#018x", e.getKey(), e.getValue()));
      if (++k % 4 == 0) {
        sb.append("\n");
      }
    }
    if (k % 4 != 0) {
      sb.append("\n");
    }
    for (RoutineReport.Dump d : r.dumps().values()) {
      byte[] b = d.bytes();
      sb.append(String.format(Locale.ROOT, "dump %s (%#x, %d bytes):", d.location(), d.address(),
          b.length));
      for (int i = 0; i < b.length; i++) {
        if (i % 16 == 0 && b.length > 16) {
          sb.append(String.format(Locale.ROOT, "\n  %#x:", d.address() + i));
        }
        sb.append(String.format(Locale.ROOT, " %02x", b[i] & 0xff));
      }
      sb.append("\n");
    }
    return sb.toString();
  }

  private static String servedBy(Map<MemoryLevel, Long> levels) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<MemoryLevel, Long> e : levels.entrySet()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(shortName(e.getKey())).append(' ').append(e.getValue());
    }
    return sb.length() == 0 ? "-" : sb.toString();
  }

  private static String shortName(MemoryLevel level) {
    switch (level) {
      case STORE_FORWARD:
        return "fwd";
      case REMOTE_CORE:
        return "remote";
      default:
        return level.name();
    }
  }

  private static void appendTable(StringBuilder sb, List<String[]> rows, boolean[] right) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        if (c > 0) {
          line.append("  ");
        }
        String cell = row[c];
        boolean last = c == columns - 1;
        if (right[c]) {
          line.append(" ".repeat(width[c] - cell.length())).append(cell);
        } else {
          line.append(cell);
          if (!last) {
            line.append(" ".repeat(width[c] - cell.length()));
          }
        }
      }
      sb.append(line).append("\n");
    }
  }
}
