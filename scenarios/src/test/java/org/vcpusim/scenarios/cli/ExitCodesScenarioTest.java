package org.vcpusim.scenarios.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.vcpusim.scenarios.scenario.ScenarioException;
import org.vcpusim.scenarios.scenario.ScenarioLoader;

/** A bad scenario file is bad input (exit 2), not an internal error (exit 3). */
class ExitCodesScenarioTest {
  @Test
  void aScenarioErrorExitsWithBadInput() {
    ScenarioException e = org.junit.jupiter.api.Assertions.assertThrows(
        ScenarioException.class, () -> ScenarioLoader.load("scenario: [", "x.yaml"));
    assertEquals(ExitCodes.BAD_INPUT, ExitCodes.forException(e));
    assertEquals(ExitCodes.INTERNAL_ERROR, ExitCodes.forException(new IllegalStateException()));
  }
}
