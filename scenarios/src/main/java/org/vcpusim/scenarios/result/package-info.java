/**
 * The result of a scenario run as one immutable object, and its {@code result.json} (schema 1).
 *
 * <p>{@link org.vcpusim.scenarios.result.RunResult} holds what {@code result.json} carries — per
 * variant a {@link org.vcpusim.scenarios.result.VariantResult} with its {@link
 * org.vcpusim.scenarios.result.CycleStack} and {@link org.vcpusim.scenarios.result.Violation}s, and
 * the {@link org.vcpusim.scenarios.result.HostInfo} — plus report-only context that the file does
 * not carry: the scenario text ({@link org.vcpusim.scenarios.result.ScenarioEcho}), each variant's
 * {@link org.vcpusim.scenarios.result.VariantNotes} (expected verdict, GS write costs, cid
 * high-water) and each violation's schedule excerpt. {@link
 * org.vcpusim.scenarios.result.ResultJsonWriter} writes the file, byte-stable.
 */
package org.vcpusim.scenarios.result;
