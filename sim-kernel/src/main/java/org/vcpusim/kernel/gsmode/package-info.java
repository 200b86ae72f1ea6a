/**
 * The GS mode under review (reference kernel.md §6; docs/abi.md): {@code prctl(PT_SET_GS_MODE /
 * PT_GET_GS_MODE)} ({@link org.vcpusim.kernel.gsmode.GsModePrctl}) puts an mm in a mode where the
 * kernel loads every thread's GS base with {@code origin + stride × mm_cid} on return to user
 * ({@link org.vcpusim.kernel.gsmode.GsPopulation}); {@code arch_prctl} for the FS/GS bases and its
 * conflict with the mode ({@link org.vcpusim.kernel.gsmode.ArchPrctl}, {@link
 * org.vcpusim.kernel.gsmode.GsConflictPolicy}); the cost of GS-base writes in the FSGSBASE and
 * WRMSR regimes ({@link org.vcpusim.kernel.gsmode.GsCosts}); the {@code %gs:} access checker
 * ({@link org.vcpusim.kernel.gsmode.GsAccessChecker}).
 *
 * <p><b>What the machine calls.</b> {@link org.vcpusim.kernel.gsmode.GsMode#install} once while
 * building (it registers {@code prctl} and {@code arch_prctl} and the population step), adds
 * {@link org.vcpusim.kernel.gsmode.GsMode#costs()} as a scheduling observer, installs the checker
 * on its cores when told to, and calls {@link org.vcpusim.kernel.gsmode.GsMode#onFork}, {@link
 * org.vcpusim.kernel.gsmode.GsMode#onExec}, {@link org.vcpusim.kernel.gsmode.GsMode#onExit} and
 * {@link org.vcpusim.kernel.gsmode.GsMode#onMmRelease}.
 */
package org.vcpusim.kernel.gsmode;
