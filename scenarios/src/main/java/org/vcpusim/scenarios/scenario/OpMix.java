package org.vcpusim.scenarios.scenario;

/**
 * The relative weights of a workload's two operations: {@code mix: {alloc: a, free: f}} for a slab
 * (allocation is the slab's Pop, free its Push, as in TCMalloc's {@code
 * tcmalloc/internal/percpu_tcmalloc.h}) and {@code mix: {pop: p, push: q}} for a list.
 *
 * @param pop weight of Pop (alloc), {@code 0..MAX_WEIGHT}
 * @param push weight of Push (free), {@code 0..MAX_WEIGHT}; {@code pop + push > 0}
 */
public record OpMix(int pop, int push) {
  /** Largest weight: a million to one is the most lopsided mix worth expressing. */
  public static final int MAX_WEIGHT = 1_000_000;
  /** Half and half. */
  public static final OpMix EVEN = new OpMix(50, 50);

  public OpMix {
    if (pop < 0 || push < 0 || pop > MAX_WEIGHT || push > MAX_WEIGHT || pop + push == 0) {
      throw new IllegalArgumentException("bad mix " + pop + "/" + push);
    }
  }
}
