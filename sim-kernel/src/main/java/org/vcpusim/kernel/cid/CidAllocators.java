package org.vcpusim.kernel.cid;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * The concurrency-id allocators by the names scenarios, reports and {@code result.json} use
 * (DESIGN.md "concurrency ids"): {@code cpu} ({@link CpuNumberCidAllocator}), {@code vcpu-2022}
 * ({@link Vcpu2022CidAllocator}), {@code mm_cid-6.4} ({@link MmCid64Allocator}). Each name maps to
 * the policy's default {@link MmCidAllocator.Factory}; a scenario that wants other parameters
 * builds the factory from the class itself.
 *
 * <p>Adding a policy is one line in the static block below (and one in the contract test's list
 * of allocators, {@code CidAllocatorContractTest}).
 */
public final class CidAllocators {
  private static final TreeMap<String, MmCidAllocator.Factory> BY_NAME = new TreeMap<>();

  static {
    BY_NAME.put(CpuNumberCidAllocator.NAME, CpuNumberCidAllocator.factory());
    BY_NAME.put(Vcpu2022CidAllocator.NAME, Vcpu2022CidAllocator.factory());
    BY_NAME.put(MmCid64Allocator.NAME, MmCid64Allocator.factory());
    BY_NAME.put(MmCid619Allocator.NAME, MmCid619Allocator.factory());
  }

  private CidAllocators() {}

  /**
   * The factory of the allocator called {@code name}.
   *
   * @throws IllegalArgumentException if no allocator has that name; the message lists the known
   *     names
   */
  public static MmCidAllocator.Factory byName(String name) {
    MmCidAllocator.Factory f = name == null ? null : BY_NAME.get(name);
    if (f == null) {
      throw new IllegalArgumentException(
          "unknown cid allocator \"" + name + "\"; known: " + String.join(", ", names()));
    }
    return f;
  }

  /** Every allocator name, sorted. */
  public static List<String> names() {
    return Collections.unmodifiableList(new ArrayList<>(BY_NAME.keySet()));
  }
}
