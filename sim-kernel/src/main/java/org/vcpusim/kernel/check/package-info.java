/**
 * The machine's ABI checkers, on by default in every {@code Machine}: concurrency-id uniqueness,
 * bound and compaction ({@link org.vcpusim.kernel.check.CidChecker}), the rseq {@code mm_cid}
 * field against the allocated id ({@link org.vcpusim.kernel.check.RseqCidChecker}), and lost
 * updates on declared per-id data ({@link org.vcpusim.kernel.check.PerIdRegionChecker}). {@link
 * org.vcpusim.kernel.check.Checkers} builds them from a {@link
 * org.vcpusim.kernel.check.CheckConfig} and turns their violations into findings.
 */
package org.vcpusim.kernel.check;
