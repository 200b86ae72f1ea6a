/**
 * Concurrency ids ({@code mm_cid}): the {@link org.vcpusim.kernel.cid.MmCidAllocator} interface
 * every allocation policy implements, the identity policy {@link
 * org.vcpusim.kernel.cid.CpuNumberCidAllocator}, and {@link org.vcpusim.kernel.cid.CidAccounting},
 * the per-task and per-mm statistics kept for whichever policy runs.
 */
package org.vcpusim.kernel.cid;
