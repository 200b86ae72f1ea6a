package org.vcpusim.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.vcpusim.core.time.Ticks.PER_MICROSECOND;
import static org.vcpusim.core.time.Ticks.PER_MILLISECOND;

import org.junit.jupiter.api.Test;

class SchedParamsTest {
  @Test
  void tunablesScaleWithLogOfCpusUpToEight() {
    assertEquals(1, SchedParams.tunableScalingFactor(1));
    assertEquals(2, SchedParams.tunableScalingFactor(2));
    assertEquals(2, SchedParams.tunableScalingFactor(3));
    assertEquals(3, SchedParams.tunableScalingFactor(4));
    assertEquals(4, SchedParams.tunableScalingFactor(8));
    assertEquals(4, SchedParams.tunableScalingFactor(64));
  }

  @Test
  void defaultsAreTheKernels() {
    SchedParams p = SchedParams.linuxDefaults(4, 3000);
    assertEquals(250, p.hz());
    assertEquals(4 * PER_MILLISECOND, p.tickPeriodPs());
    assertEquals(18 * PER_MILLISECOND, p.latencyPs());
    assertEquals(2250 * PER_MICROSECOND, p.minGranularityPs());
    assertEquals(3 * PER_MILLISECOND, p.wakeupGranularityPs());
    assertEquals(8, p.nrLatency());
    assertEquals(4 * PER_MILLISECOND, p.balanceIntervalPs());
    assertEquals(3000, p.contextSwitchCycles());
    assertEquals(16 * PER_MILLISECOND, SchedParams.linuxDefaults(16, 0).balanceIntervalPs());
    assertEquals(4 * PER_MILLISECOND, SchedParams.linuxDefaults(1, 0).balanceIntervalPs());
    assertEquals(PER_MILLISECOND, p.withHz(1000).tickPeriodPs());
    assertEquals(3_333_333_333L, p.withHz(300).tickPeriodPs());
  }

  @Test
  void rejectsInconsistentTunables() {
    assertThrows(IllegalArgumentException.class, () -> new SchedParams(0, 6, 1, 1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new SchedParams(250, 1, 2, 1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new SchedParams(250, 6, 1, -1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new SchedParams(250, 6, 1, 1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new SchedParams(250, 6, 1, 1, 1, -1));
    assertThrows(IllegalArgumentException.class, () -> SchedParams.tunableScalingFactor(0));
  }
}
