package org.vcpusim.scenarios.workload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vcpusim.kernel.check.PerIdRegions;
import org.vcpusim.scenarios.scenario.Abi;

/**
 * Turns the workload assembly templates (resources {@code org/vcpusim/scenarios/workloads/*.s})
 * into the source of one ABI variant: substitutes the per-variant id access ({@code @PREP@},
 * {@code @ARM:cs@}, {@code @REGION:label@}, {@code @IDLOAD@}, {@code @IDCHECK:retry@}, {@code
 * @SELF@}), rewrites per-id operands {@code {disp}} / {@code {disp,idx,scale}} into
 * region-relative or {@code %gs:} form, and expands {@code @CS:name:restart@} into the rseq_cs
 * descriptor (section {@code __rseq_cs}, the layout of userspace.md §1.2) plus an abort handler
 * preceded by the x86 signature ({@code ud1 0x53053053(%rip), %edi} as librseq and glibc encode
 * it) that jumps back to {@code restart}; the handlers are collected for the abort code range.
 *
 * <p><b>Caveats:</b> one instance per program build; not thread-safe.
 */
final class WorkloadSource {
  private static final String RESOURCE_DIR = "/org/vcpusim/scenarios/workloads/";
  private static final Pattern OPERAND = Pattern.compile("\\{([^,{}]+)(?:,([^,{}]+),([^,{}]+))?\\}");
  private static final Pattern DIRECTIVE = Pattern.compile("@([A-Z]+)(?::([^@:]+))?(?::([^@]+))?@");

  private final Abi abi;
  private final StringBuilder aborts = new StringBuilder();

  WorkloadSource(Abi abi) {
    this.abi = abi;
  }

  /** The text of resource {@code name}. */
  static String resource(String name) {
    try (InputStream in = WorkloadSource.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("missing workload resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The abort handlers of every section expanded so far. */
  String aborts() {
    return aborts.toString();
  }

  /** Expands a template (names already substituted by the caller). */
  String expand(String template) {
    StringBuilder out = new StringBuilder();
    for (String line : template.split("\n", -1)) {
      Matcher d = DIRECTIVE.matcher(line.trim());
      if (d.matches()) {
        out.append(directive(d.group(1), d.group(2), d.group(3)));
        continue;
      }
      out.append(operands(line)).append('\n');
    }
    return out.toString();
  }

  private String directive(String name, String a, String b) {
    boolean gs = abi == Abi.GS_MM_CID;
    boolean cached = abi == Abi.RSEQ_CPU_CACHED;
    String idField = AbiTraits.index(abi) == PerIdRegions.Index.MM_CID ? "RSEQ_MM_CID" : "RSEQ_CPU_ID";
    switch (name) {
      case "PREP":
        if (cached) {
          return "";
        }
        return gs
            ? "        movq __rseq_offset(%rip), %r8\n"
            : "        movq __rseq_offset(%rip), %r8\n        movq slabs(%rip), %r11\n";
      case "ARM":
        return cached
            ? "        movq $" + a + "_cs, %fs:ABI_CS_TP\n"
            : "        leaq " + a + "_cs(%rip), %r9\n        movq %r9, %fs:RSEQ_CS(%r8)\n";
      case "REGION":
        if (gs) {
          return "";
        }
        if (cached) {
          return "        movq %fs:SLABS_TP, %r10\n        btrq $63, %r10\n        jnc " + a + "\n";
        }
        return "        movl %fs:" + idField + "(%r8), %r10d\n        shlq $SHIFT, %r10\n"
            + "        addq %r11, %r10\n";
      case "IDLOAD":
        if (gs) {
          return "";
        }
        if (cached) {
          return "        movl %fs:ABI_CPU_ID_TP, %ecx\n        movq %rcx, %r10\n"
              + "        shlq $SHIFT, %r10\n        addq slabs(%rip), %r10\n";
        }
        String before = AbiTraits.index(abi) == PerIdRegions.Index.MM_CID
            ? "RSEQ_MM_CID" : "RSEQ_CPU_ID_START";
        return "        movl %fs:" + before + "(%r8), %ecx\n        movq %rcx, %r10\n"
            + "        shlq $SHIFT, %r10\n        addq %r11, %r10\n";
      case "IDCHECK":
        if (gs) {
          return "";
        }
        return cached
            ? "        cmpl %ecx, %fs:ABI_CPU_ID_TP\n        jnz " + a + "\n"
            : "        cmpl %ecx, %fs:" + idField + "(%r8)\n        jnz " + a + "\n";
      case "SELF":
        return gs ? "        movq %gs:SELF_OFF, %r10\n" : "";
      case "CS":
        aborts.append("        .byte 0x0f, 0xb9, 0x3d\n        .long 0x53053053\n")
            .append(a).append("_abort:\n        jmp ").append(b).append('\n');
        return "        .pushsection __rseq_cs, \"aw\"\n        .balign 32\n" + a + "_cs:\n"
            + "        .long 0, 0\n        .quad " + a + "_start, " + a + "_post - " + a
            + "_start, " + a + "_abort\n        .popsection\n";
      default:
        throw new IllegalStateException("unknown template directive @" + name + "@");
    }
  }

  private String operands(String line) {
    Matcher m = OPERAND.matcher(line);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String disp = m.group(1).trim();
      String rep;
      if (m.group(2) == null) {
        rep = abi == Abi.GS_MM_CID ? "%gs:" + disp : disp + "(%r10)";
      } else {
        String idx = m.group(2).trim();
        String scale = m.group(3).trim();
        rep = abi == Abi.GS_MM_CID
            ? String.format(Locale.ROOT, "%%gs:%s(,%s,%s)", disp, idx, scale)
            : String.format(Locale.ROOT, "%s(%%r10,%s,%s)", disp, idx, scale);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(rep));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
