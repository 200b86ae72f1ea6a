/**
 * Scenario files: the immutable model ({@link org.vcpusim.scenarios.scenario.Scenario} and its
 * section records {@code MachineSpec}, {@code KernelSpec}, {@code ProcessGroupSpec}, {@code
 * GsModeSpec}, {@code WorkloadSpec}, {@code OpMix}, {@code ThinkTime}, {@code DisturbanceRates},
 * {@code DurationSpec}, {@code VariantSpec}, {@code CheckSpec}, {@code OutputSpec}; the closed sets
 * as {@link org.vcpusim.scenarios.scenario.Spelled} enums) and the strict loader {@link
 * org.vcpusim.scenarios.scenario.ScenarioLoader}, which reports every mistake as one {@code
 * file:line:column: ...} line ({@link org.vcpusim.scenarios.scenario.ScenarioException}). The
 * format is documented in {@code docs/scenario-format.md}; the bundled files are in {@code
 * scenarios/library/}.
 */
package org.vcpusim.scenarios.scenario;
