/**
 * Concurrency ids ({@code mm_cid}): the {@link org.vcpusim.kernel.cid.MmCidAllocator} interface
 * every allocation policy implements; the policies — the identity policy {@link
 * org.vcpusim.kernel.cid.CpuNumberCidAllocator} ({@code cpu}), the 2022/v6.3 per-mm bitmap under
 * a lock {@link org.vcpusim.kernel.cid.Vcpu2022CidAllocator} ({@code vcpu-2022}) and the
 * v6.4–v6.18 per-CPU cache with compaction {@link org.vcpusim.kernel.cid.MmCid64Allocator}
 * ({@code mm_cid-6.4}); the registry of policies by name {@link
 * org.vcpusim.kernel.cid.CidAllocators}; and {@link org.vcpusim.kernel.cid.CidAccounting}, the
 * per-task and per-mm statistics kept for whichever policy runs; {@link
 * org.vcpusim.kernel.cid.TaskIntTable}, the by-tid table the policies keep their per-task fields
 * in.
 */
package org.vcpusim.kernel.cid;
