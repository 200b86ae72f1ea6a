package org.vcpusim.scenarios.workload;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WorkloadImageSmokeTest {
  @ParameterizedTest
  @EnumSource(Abi.class)
  void assembles(Abi abi) {
    WorkloadImage img = WorkloadImage.build(WorkloadSpec.slab(4, 8, 64, 4), abi,
        WorkloadImage.Options.of(2, 1, 4, 100, 4_000_000_000L));
    assertTrue(img.program().instructionCount() > 100);
  }
}
