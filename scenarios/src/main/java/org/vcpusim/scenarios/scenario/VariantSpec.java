package org.vcpusim.scenarios.scenario;

import java.util.Objects;

/**
 * One variant a scenario runs, resolved: every field is filled, from the variant's own entry or
 * else from the scenario's {@code kernel:} section and top-level {@code expect}.
 *
 * <p>In a file a variant is either an ABI spelling ({@code - rseq-mm_cid}, named after its ABI) or
 * a mapping {@code {name, abi, cid_allocator, id_update, gs_conflict, expect}} of which only
 * {@code abi} is required.
 *
 * @param name unique among the variants, {@code [a-z0-9][a-z0-9._-]*}; reports and {@code
 *     result.json} use it
 * @param abi how the fast path finds its per-id data
 * @param cidAllocator the concurrency-id allocator of this variant's machine
 * @param idUpdate the rseq id-update policy of this variant's machine
 * @param gsConflict what {@code ARCH_SET_GS} does in GS mode
 * @param expect the verdict the scenario expects of this variant
 */
public record VariantSpec(
    String name,
    Abi abi,
    CidAllocatorName cidAllocator,
    IdUpdate idUpdate,
    GsConflict gsConflict,
    Verdict expect) {

  public VariantSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(abi, "abi");
    Objects.requireNonNull(cidAllocator, "cidAllocator");
    Objects.requireNonNull(idUpdate, "idUpdate");
    Objects.requireNonNull(gsConflict, "gsConflict");
    Objects.requireNonNull(expect, "expect");
  }

  /** The variant named after {@code abi} with the kernel's settings and {@code expect}. */
  public static VariantSpec of(Abi abi, KernelSpec kernel, Verdict expect) {
    return new VariantSpec(
        abi.spelling(),
        abi,
        kernel.cidAllocator(),
        kernel.idUpdate(),
        kernel.gsConflict(),
        expect);
  }
}
