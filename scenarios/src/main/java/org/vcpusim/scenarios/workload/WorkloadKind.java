package org.vcpusim.scenarios.workload;

import java.util.Locale;

/** What a workload's threads do per op (scenario key {@code kind}). */
public enum WorkloadKind {
  /** TCMalloc-style per-id slab: alloc = Pop, free = Push, slow paths to a central list. */
  SLAB(1),
  /** librseq per-id counter increment. */
  COUNTER(2),
  /** librseq percpu_list: pop (A) and push (B) of nodes. */
  LIST(3),
  /** param_test's per-id spinlock around a per-id counter. */
  SPINLOCK(4);

  /** The code the driver's dispatch compares against ({@code .set KIND}). */
  final int code;

  WorkloadKind(int code) {
    this.code = code;
  }

  /** The variant named {@code name} (lower case). */
  public static WorkloadKind byName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
