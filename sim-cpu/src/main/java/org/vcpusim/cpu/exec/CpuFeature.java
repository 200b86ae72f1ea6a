package org.vcpusim.cpu.exec;

/**
 * Optional instructions a CPU profile may have. Without the feature the instruction raises #UD,
 * as on hardware (Intel SDM vol. 2 for each; /work/shared/reference/kernel.md §5.3 for FSGSBASE,
 * which Linux enables for user space since 5.9).
 */
public enum CpuFeature {
  /** RDFSBASE, RDGSBASE, WRFSBASE, WRGSBASE (CPUID.07H:EBX bit 0, with CR4.FSGSBASE set). */
  FSGSBASE,
  /** RDPID (CPUID.07H:ECX bit 22). */
  RDPID,
  /** RDTSCP (CPUID.80000001H:EDX bit 27). */
  RDTSCP
}
