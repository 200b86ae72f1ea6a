package org.vcpusim.scenarios.result;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes {@code result.json}, schema 1, byte-stable: the same {@link RunResult} gives the same
 * bytes on every run, JVM and default locale.
 *
 * <p>Layout: two-space indentation, {@code "key": value}, {@code \n} line ends, a final newline,
 * UTF-8. Keys in the schema's fixed order: {@code schema, scenario, seed, variants [ {name, abi,
 * cid_allocator, id_update, ops, cycles_per_op, cycles_per_op_p50, cycles_per_op_p99,
 * instructions_per_op, loads_per_op, rseq_aborts {cause: n, causes sorted}, cid_changes, max_cid,
 * gs_writes, footprint_bytes, cycle_stack {fast_path, abort_restart, slow_path, kernel_switch,
 * return_to_user, gs_write, membarrier, idle}, violations [ {kind, tick, cpu, task, message} ]} ],
 * host {wall_seconds, simulated_instructions, events, mips}}}. Integers as integers; doubles with
 * {@value #DECIMALS} decimals through {@link Decimals} (a NaN — no ops — as {@code null}).
 *
 * <p>The file is written by hand rather than through Jackson so that nothing (pretty printer line
 * separators, double spelling, feature defaults) can change it behind the schema's back.
 */
public final class ResultJsonWriter {
  /**
   * Decimals of every double: per-op figures are means of integer cycle and instruction counts,
   * and a thousandth of a cycle is below any difference the model can claim.
   */
  public static final int DECIMALS = 3;

  private static final String INDENT = "  ";

  private ResultJsonWriter() {}

  /** The whole {@code result.json} text. */
  public static String toJson(RunResult result) {
    return render(result, true);
  }

  /** {@code result.json} without its {@code host} object: the deterministic part (golden tests). */
  public static String toJsonWithoutHost(RunResult result) {
    return render(result, false);
  }

  /** Writes {@link #toJson} to {@code file} (UTF-8), replacing it; not atomic by itself. */
  public static void write(RunResult result, Path file) {
    try {
      Files.writeString(file, toJson(result), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String render(RunResult r, boolean withHost) {
    Out o = new Out();
    o.open('{');
    o.key("schema").raw(Integer.toString(r.schema())).comma();
    o.key("scenario").string(r.scenario()).comma();
    o.key("seed").raw(Long.toString(r.seed())).comma();
    o.key("variants");
    if (r.variants().isEmpty()) {
      o.raw("[]");
    } else {
      o.open('[');
      for (int i = 0; i < r.variants().size(); i++) {
        variant(o.indent(), r.variants().get(i));
        if (i + 1 < r.variants().size()) {
          o.comma();
        }
      }
      o.close(']');
    }
    if (withHost) {
      HostInfo h = r.host();
      o.comma().key("host").open('{');
      o.key("wall_seconds").number(h.wallSeconds()).comma();
      o.key("simulated_instructions").raw(Long.toString(h.simulatedInstructions())).comma();
      o.key("events").raw(Long.toString(h.events())).comma();
      o.key("mips").number(h.mips());
      o.close('}');
    }
    o.close('}');
    o.sb.append('\n');
    return o.sb.toString();
  }

  private static void variant(Out o, VariantResult v) {
    o.open('{');
    o.key("name").string(v.name()).comma();
    o.key("abi").string(v.abi()).comma();
    o.key("cid_allocator").string(v.cidAllocator()).comma();
    o.key("id_update").string(v.idUpdate()).comma();
    o.key("ops").raw(Long.toString(v.ops())).comma();
    o.key("cycles_per_op").number(v.cyclesPerOp()).comma();
    o.key("cycles_per_op_p50").number(v.cyclesPerOpP50()).comma();
    o.key("cycles_per_op_p99").number(v.cyclesPerOpP99()).comma();
    o.key("instructions_per_op").number(v.instructionsPerOp()).comma();
    o.key("loads_per_op").number(v.loadsPerOp()).comma();
    o.key("rseq_aborts");
    if (v.rseqAborts().isEmpty()) {
      o.raw("{}");
    } else {
      o.open('{');
      int n = 0;
      for (Map.Entry<String, Long> e : v.rseqAborts().entrySet()) {
        o.key(e.getKey()).raw(Long.toString(e.getValue()));
        if (++n < v.rseqAborts().size()) {
          o.comma();
        }
      }
      o.close('}');
    }
    o.comma();
    o.key("cid_changes").raw(Long.toString(v.cidChanges())).comma();
    o.key("max_cid").raw(Integer.toString(v.maxCid())).comma();
    o.key("gs_writes").raw(Long.toString(v.gsWrites())).comma();
    o.key("footprint_bytes").raw(Long.toString(v.footprintBytes())).comma();
    o.key("cycle_stack").open('{');
    long[] cycles = v.cycleStack().toArray();
    for (int i = 0; i < cycles.length; i++) {
      o.key(CycleStack.KEYS.get(i)).raw(Long.toString(cycles[i]));
      if (i + 1 < cycles.length) {
        o.comma();
      }
    }
    o.close('}').comma();
    o.key("violations");
    if (v.violations().isEmpty()) {
      o.raw("[]");
    } else {
      o.open('[');
      for (int i = 0; i < v.violations().size(); i++) {
        Violation x = v.violations().get(i);
        o.indent().open('{');
        o.key("kind").string(x.kind()).comma();
        o.key("tick").raw(Long.toString(x.tick())).comma();
        o.key("cpu").raw(Integer.toString(x.cpu())).comma();
        o.key("task").raw(Integer.toString(x.task())).comma();
        o.key("message").string(x.message());
        o.close('}');
        if (i + 1 < v.violations().size()) {
          o.comma();
        }
      }
      o.close(']');
    }
    o.close('}');
  }

  /**
   * JSON string literal of {@code s}: quotes, backslash and control characters escaped ({@code
   * \n}, {@code \t}, ... or {@code \}{@code u00XX}), everything else as is (the file is UTF-8).
   */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20) {
            b.append("\\u00").append(Character.forDigit(c >> 4, 16))
                .append(Character.forDigit(c & 0xf, 16));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** An indenting JSON text builder: structure is the caller's job, layout is this one's. */
  private static final class Out {
    final StringBuilder sb = new StringBuilder(4096);
    int depth;

    Out open(char bracket) {
      sb.append(bracket);
      depth++;
      return this;
    }

    Out close(char bracket) {
      depth--;
      newline();
      sb.append(bracket);
      return this;
    }

    /** Starts an array element on its own line. */
    Out indent() {
      newline();
      return this;
    }

    Out key(String k) {
      newline();
      sb.append(quote(k)).append(": ");
      return this;
    }

    Out string(String s) {
      sb.append(quote(s));
      return this;
    }

    Out number(double d) {
      sb.append(Decimals.fixedOr(d, DECIMALS, "null"));
      return this;
    }

    Out raw(String s) {
      sb.append(s);
      return this;
    }

    Out comma() {
      sb.append(',');
      return this;
    }

    private void newline() {
      sb.append('\n');
      for (int i = 0; i < depth; i++) {
        sb.append(INDENT);
      }
    }
  }
}
