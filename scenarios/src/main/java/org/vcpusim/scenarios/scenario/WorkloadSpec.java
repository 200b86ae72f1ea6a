package org.vcpusim.scenarios.scenario;

import java.util.List;
import java.util.Objects;

/**
 * What the threads of a process group do (an entry of {@code workloads:}): the per-id operation,
 * its mix and sizes, the think time between operations and the disturbances injected.
 *
 * <p>Keys that have no meaning for a {@link WorkloadKind} are rejected by the loader when written
 * (see {@link #allowedKeys}); their record fields then hold the defaults and are ignored.
 *
 * @param name unique among the workloads, {@code [a-z0-9][a-z0-9._-]*}
 * @param kind the per-id operation
 * @param mix Pop/Push weights (slab: alloc/free; list: pop/push)
 * @param sizeClasses slab size classes, {@code 1..MAX_SIZE_CLASSES}
 * @param slabCapacity objects per size class per id, {@code 1..MAX_SLAB_CAPACITY}
 * @param objects objects (slab) or nodes (list) in the central free list at start
 * @param batch objects a slow path moves between a slab and the central list, at most {@code
 *     slabCapacity}
 * @param think the wait between two operations
 * @param rates the disturbances
 */
public record WorkloadSpec(
    String name,
    WorkloadKind kind,
    OpMix mix,
    int sizeClasses,
    int slabCapacity,
    int objects,
    int batch,
    ThinkTime think,
    DisturbanceRates rates) {

  /** TCMalloc has up to 172 size classes; the model's slab header indexes at most 64. */
  public static final int MAX_SIZE_CLASSES = 64;
  /** Most objects per size class per id: TCMalloc's largest per-class capacity is 2048. */
  public static final int MAX_SLAB_CAPACITY = 4_096;
  /** Most objects in the central list: 2^20 keeps the object record of a run in memory. */
  public static final int MAX_OBJECTS = 1 << 20;
  /** Default size classes. */
  public static final int DEFAULT_SIZE_CLASSES = 4;
  /** Default objects per size class per id. */
  public static final int DEFAULT_SLAB_CAPACITY = 32;
  /** Default objects in the central free list. */
  public static final int DEFAULT_OBJECTS = 4_096;
  /** Default slow-path batch: TCMalloc moves objects in batches of a few (its batch size). */
  public static final int DEFAULT_BATCH = 8;

  public WorkloadSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(mix, "mix");
    Objects.requireNonNull(think, "think");
    Objects.requireNonNull(rates, "rates");
    if (sizeClasses < 1 || sizeClasses > MAX_SIZE_CLASSES || slabCapacity < 1
        || slabCapacity > MAX_SLAB_CAPACITY || objects < 0 || objects > MAX_OBJECTS
        || batch < 1 || batch > slabCapacity) {
      throw new IllegalArgumentException("bad workload sizes for " + name);
    }
  }

  /**
   * The keys a workload of {@code kind} may have besides {@code name}, {@code kind}, {@code think}
   * and {@code rates}: a slab has a mix, size classes, capacity, objects and batch; a list has a
   * mix, nodes ({@code objects}) and batch; a counter or spinlock has none.
   */
  public static List<String> allowedKeys(WorkloadKind kind) {
    switch (kind) {
      case SLAB:
        return List.of("mix", "size_classes", "slab_capacity", "objects", "batch");
      case LIST:
        return List.of("mix", "objects", "batch");
      default:
        return List.of();
    }
  }
}
