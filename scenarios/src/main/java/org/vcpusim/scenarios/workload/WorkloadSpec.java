package org.vcpusim.scenarios.workload;

/**
 * One workload of a scenario (the {@code workloads:} entry of docs/scenario-format.md, mapped by
 * the runner): what the threads do and with which parameters.
 *
 * @param kind the operation family
 * @param weightA slab: alloc weight; list: pop weight (ignored for counter and spinlock)
 * @param weightB slab: free weight; list: push weight
 * @param sizeClasses size classes of the slab (1..64)
 * @param slabCapacity object slots per size class per id
 * @param objects objects (slab: in the central lists at start; list: nodes spread over the ids)
 * @param batch objects moved per slow-path refill or return
 * @param maxHeld objects one thread may hold at once (its record array)
 * @param think time between ops
 * @param rates disturbances per thread per second
 */
public record WorkloadSpec(WorkloadKind kind, int weightA, int weightB, int sizeClasses,
    int slabCapacity, int objects, int batch, int maxHeld, ThinkTime think,
    DisturbanceRates rates) {
  /** Largest number of size classes (scenario format). */
  public static final int MAX_SIZE_CLASSES = 64;

  public WorkloadSpec {
    if (weightA < 0 || weightB < 0 || weightA + weightB == 0) {
      throw new IllegalArgumentException("mix weights must be >= 0 and not both 0");
    }
    if (sizeClasses < 1 || sizeClasses > MAX_SIZE_CLASSES) {
      throw new IllegalArgumentException("size classes must be in 1..64: " + sizeClasses);
    }
    if (slabCapacity < 1 || objects < 0 || batch < 1 || maxHeld < 1) {
      throw new IllegalArgumentException("capacity, batch and max held must be positive");
    }
  }

  /** A slab workload: 50/50 alloc/free, no think time, no disturbances, 64 objects held at most. */
  public static WorkloadSpec slab(int sizeClasses, int slabCapacity, int objects, int batch) {
    return new WorkloadSpec(WorkloadKind.SLAB, 50, 50, sizeClasses, slabCapacity, objects, batch,
        64, ThinkTime.NONE, DisturbanceRates.NONE);
  }

  /** A workload of {@code kind} with the slab defaults of {@link #slab} otherwise. */
  public static WorkloadSpec of(WorkloadKind kind, int objects) {
    return new WorkloadSpec(kind, 50, 50, 4, 32, objects, 8, 64, ThinkTime.NONE,
        DisturbanceRates.NONE);
  }

  public WorkloadSpec withMix(int a, int b) {
    return new WorkloadSpec(kind, a, b, sizeClasses, slabCapacity, objects, batch, maxHeld, think,
        rates);
  }

  public WorkloadSpec withThink(ThinkTime t) {
    return new WorkloadSpec(kind, weightA, weightB, sizeClasses, slabCapacity, objects, batch,
        maxHeld, t, rates);
  }

  public WorkloadSpec withRates(DisturbanceRates r) {
    return new WorkloadSpec(kind, weightA, weightB, sizeClasses, slabCapacity, objects, batch,
        maxHeld, think, r);
  }

  public WorkloadSpec withMaxHeld(int n) {
    return new WorkloadSpec(kind, weightA, weightB, sizeClasses, slabCapacity, objects, batch, n,
        think, rates);
  }
}
