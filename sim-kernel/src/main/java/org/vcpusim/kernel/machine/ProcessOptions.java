package org.vcpusim.kernel.machine;

import java.util.List;
import java.util.Objects;
import org.vcpusim.kernel.gsmode.GsModeTunable;
import org.vcpusim.kernel.topology.CpuMask;

/**
 * How {@link Machine#spawnProcess} starts a process, and the per-process libc choices its later
 * threads inherit.
 *
 * @param entry the symbol the first thread starts at
 * @param args the first thread's integer arguments, at most six (RDI, RSI, RDX, RCX, R8, R9)
 * @param affinity the first thread's requested CPU mask; null means every CPU
 * @param stackBytes the stack size of every thread of the process, a positive multiple of 4096
 * @param libcRseq whether "libc" registers rseq for every thread at its start, as glibc 2.35+ does
 *     by default ({@code glibc.pthread.rseq=1}); false is the tunable set to 0, leaving the
 *     program to register its own area
 * @param gsModeTunable whether libc's {@code prctl()} wrapper lets the process enable the GS mode
 *     ({@link GsModeTunable#ALLOW}, the default) or refuses {@code PT_SET_GS_MODE} with {@code
 *     -EPERM} ({@link GsModeTunable#DENY}, e.g. for a program with a library that uses GS itself);
 *     kept across fork and exec, as an environment tunable is
 */
public record ProcessOptions(
    String entry,
    List<Long> args,
    CpuMask affinity,
    long stackBytes,
    boolean libcRseq,
    GsModeTunable gsModeTunable) {
  /** The entry symbol of a program that names none. */
  public static final String DEFAULT_ENTRY = "_start";
  /** Argument registers of the System V calling convention. */
  public static final int MAX_ARGS = 6;

  public ProcessOptions {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(gsModeTunable, "gsModeTunable");
    args = List.copyOf(args);
    if (args.size() > MAX_ARGS) {
      throw new IllegalArgumentException("at most " + MAX_ARGS + " register arguments: " + args);
    }
    if (stackBytes <= 0 || stackBytes % 4096 != 0) {
      throw new IllegalArgumentException("stack size must be a positive multiple of 4096: "
          + stackBytes);
    }
  }

  /**
   * Entry {@code _start}, no arguments, every CPU, 64 KiB stacks, libc registers rseq, the GS mode
   * allowed.
   */
  public static ProcessOptions defaults() {
    return new ProcessOptions(DEFAULT_ENTRY, List.of(), null, UserLayout.DEFAULT_STACK_BYTES, true,
        GsModeTunable.ALLOW);
  }

  public ProcessOptions withEntry(String symbol) {
    return new ProcessOptions(symbol, args, affinity, stackBytes, libcRseq, gsModeTunable);
  }

  public ProcessOptions withArgs(long... values) {
    Long[] boxed = new Long[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return new ProcessOptions(entry, List.of(boxed), affinity, stackBytes, libcRseq,
        gsModeTunable);
  }

  public ProcessOptions withAffinity(CpuMask mask) {
    return new ProcessOptions(entry, args, mask, stackBytes, libcRseq, gsModeTunable);
  }

  public ProcessOptions withStackBytes(long bytes) {
    return new ProcessOptions(entry, args, affinity, bytes, libcRseq, gsModeTunable);
  }

  public ProcessOptions withLibcRseq(boolean on) {
    return new ProcessOptions(entry, args, affinity, stackBytes, on, gsModeTunable);
  }

  public ProcessOptions withGsModeTunable(GsModeTunable tunable) {
    return new ProcessOptions(entry, args, affinity, stackBytes, libcRseq, tunable);
  }
}
