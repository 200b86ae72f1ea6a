package org.vcpusim.scenarios.run;

import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.cpu.profile.CpuProfiles;
import org.vcpusim.kernel.cid.CidAllocators;
import org.vcpusim.kernel.cid.MmCid64Allocator;
import org.vcpusim.kernel.cid.MmCidAllocator;
import org.vcpusim.kernel.gsmode.GsConflictPolicy;
import org.vcpusim.kernel.gsmode.GsModeConfig;
import org.vcpusim.kernel.machine.MachineConfig;
import org.vcpusim.kernel.rseq.RseqIdUpdatePolicy;
import org.vcpusim.kernel.sched.SchedParams;
import org.vcpusim.scenarios.scenario.CidAllocatorName;
import org.vcpusim.scenarios.scenario.GsConflict;
import org.vcpusim.scenarios.scenario.IdUpdate;
import org.vcpusim.scenarios.scenario.KernelSpec;
import org.vcpusim.scenarios.scenario.MachineSpec;
import org.vcpusim.scenarios.scenario.Scenario;
import org.vcpusim.scenarios.scenario.TimeMode;
import org.vcpusim.scenarios.scenario.VariantSpec;

/**
 * Turns a scenario's {@code machine:} and {@code kernel:} sections, with one variant's overrides
 * (cid allocator, id-update policy, GS conflict policy), into the {@link MachineConfig} of that
 * variant's machine. Every variant of a scenario gets the same topology, profile, scheduler and
 * seed, so that {@code compare} differs only in what the variants name.
 *
 * <p>Mapping: {@code hz} → {@link SchedParams#withHz} over the kernel's defaults for the CPU count;
 * {@code cid_allocator} → {@link CidAllocators#byName} ({@code mm_cid-6.4} with its compaction
 * period from {@code cid_scan_period_ms}); {@code id_update} legacy / on-change → {@link
 * RseqIdUpdatePolicy#LEGACY} / {@link RseqIdUpdatePolicy#ON_CHANGE}; {@code gs_conflict} ebusy /
 * overwrite → {@link GsConflictPolicy#REFUSE} / {@link GsConflictPolicy#OVERWRITE}; {@code
 * mmap_min_addr} and {@code gs_origin_check} → {@link GsModeConfig}.
 */
final class MachineSetup {
  private MachineSetup() {}

  /** The profile a scenario names (the loader has checked the name). */
  static CpuProfile profile(Scenario scenario) {
    return CpuProfiles.load(scenario.machine().profile());
  }

  static MachineConfig.Builder config(Scenario scenario, VariantSpec variant, long seed) {
    MachineSpec m = scenario.machine();
    KernelSpec k = scenario.kernel();
    CpuProfile profile = profile(scenario);
    SchedParams sched = SchedParams.linuxDefaults(m.cpus(), profile.kernel().contextSwitch())
        .withHz(k.hz());
    MachineConfig.Builder b = MachineConfig.builder(m.topology(), profile)
        .seed(seed)
        .sched(sched)
        .cidAllocator(allocator(variant.cidAllocator(), k))
        .rseqPolicy(variant.idUpdate() == IdUpdate.ON_CHANGE
            ? RseqIdUpdatePolicy.ON_CHANGE : RseqIdUpdatePolicy.LEGACY)
        .gsMode(GsModeConfig.defaults()
            .withConflictPolicy(variant.gsConflict() == GsConflict.OVERWRITE
                ? GsConflictPolicy.OVERWRITE : GsConflictPolicy.REFUSE)
            .withMmapMinAddr(k.mmapMinAddr())
            .withOriginCheck(k.gsOriginCheck()));
    if (m.timeMode() == TimeMode.QUANTUM) {
      b.quantum(m.quantumNs() * Ticks.PER_NANOSECOND);
    } else {
      b.exact();
    }
    return b;
  }

  private static MmCidAllocator.Factory allocator(CidAllocatorName name, KernelSpec k) {
    if (name == CidAllocatorName.MM_CID_6_4) {
      return MmCid64Allocator.factory(k.cidScanPeriodMs() * Ticks.PER_MILLISECOND);
    }
    return CidAllocators.byName(name.spelling());
  }
}
