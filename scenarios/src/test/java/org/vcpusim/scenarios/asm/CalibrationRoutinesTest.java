package org.vcpusim.scenarios.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The routine files of benchmarks/calibrate run under {@code asm} exactly as calibrate.sh runs
 * them, and leave their data as the native harness checks it: the counter equals the calls, the
 * slab still holds its four objects ({@code current} = 6; in the eight-class routines class k's
 * {@code current} = 9k + 1, checked for classes 1 and 8), no abort and no slow path ran.
 */
class CalibrationRoutinesTest {
  private static final Path ROUTINES = Path.of("..", "benchmarks", "calibrate", "routines");

  /**
   * Columns: file, entry, GS base, a symbol, the offset and width of a little-endian value there,
   * its expected value after 300 calls.
   */
  @ParameterizedTest(name = "{0} {3}+{4}")
  @CsvSource({
    "empty.s,          calib_empty,    ,               ,               , , ",
    "percpu_counter.s, percpu_counter, ,               pc_counters,    0, 8, 300",
    "percpu_counter.s, percpu_counter, ,               pc_aborts,      0, 8, 0",
    "slab_pop_push.s,  slab_pop_push,  ,               sl_slab_region, 4, 2, 6",
    "slab_pop_push.s,  slab_pop_push,  ,               sl_slowpaths,   0, 8, 0",
    "gs_pop_push.s,    gs_pop_push,    gs_slab_region, gs_slab_region, 4, 2, 6",
    "gs_pop_push.s,    gs_pop_push,    gs_slab_region, gs_slowpaths,   0, 8, 0",
    "slab_rot_pop_push.s, slab_rot_pop_push, , sr_slab_region, 4, 2, 10",
    "slab_rot_pop_push.s, slab_rot_pop_push, , sr_slab_region, 32, 2, 73",
    "slab_rot_pop_push.s, slab_rot_pop_push, , sr_aborts, 0, 8, 0",
    "slab_rot_pop_push.s, slab_rot_pop_push, , sr_slowpaths, 0, 8, 0",
    "gs_rot_pop_push.s, gs_rot_pop_push, gr_slab_region, gr_slab_region, 4, 2, 10",
    "gs_rot_pop_push.s, gs_rot_pop_push, gr_slab_region, gr_slab_region, 32, 2, 73",
    "gs_rot_pop_push.s, gs_rot_pop_push, gr_slab_region, gr_aborts, 0, 8, 0",
    "gs_rot_pop_push.s, gs_rot_pop_push, gr_slab_region, gr_slowpaths, 0, 8, 0",
    "slab_dep_pop_push.s, slab_dep_pop_push, , sd_slab_region, 4, 2, 10",
    "slab_dep_pop_push.s, slab_dep_pop_push, , sd_slab_region, 32, 2, 73",
    "slab_dep_pop_push.s, slab_dep_pop_push, , sd_aborts, 0, 8, 0",
    "slab_dep_pop_push.s, slab_dep_pop_push, , sd_slowpaths, 0, 8, 0",
    "gs_dep_pop_push.s, gs_dep_pop_push, gd_slab_region, gd_slab_region, 4, 2, 10",
    "gs_dep_pop_push.s, gs_dep_pop_push, gd_slab_region, gd_slab_region, 32, 2, 73",
    "gs_dep_pop_push.s, gs_dep_pop_push, gd_slab_region, gd_aborts, 0, 8, 0",
    "gs_dep_pop_push.s, gs_dep_pop_push, gd_slab_region, gd_slowpaths, 0, 8, 0",
  })
  void runsAsCalibrateRunsIt(String file, String entry, String gsBase, String symbol,
      Integer offset, Integer width, Long expected) throws IOException {
    Path path = ROUTINES.resolve(file);
    assumeTrue(Files.isRegularFile(path), "run from the scenarios module: " + path);
    RoutineOptions options = RoutineOptions.of(entry).withIterations(300).withGsBase(gsBase);
    if (symbol != null) {
      options = options.withDumps(List.of(new DumpRequest(symbol, offset + width)));
    }
    RoutineReport r = assertInstanceOf(RoutineReport.class, RoutineRunner.runFile(path, options));
    assertTrue(r.cyclesPerIteration() > 0);
    assertEquals(0.0, r.branches().mispredicted(), "warm predictors on a fixed path");
    if (symbol != null) {
      byte[] b = r.dumps().get(symbol).bytes();
      long v = 0;
      for (int i = width - 1; i >= 0; i--) {
        v = (v << 8) | (b[offset + i] & 0xff);
      }
      assertEquals((long) expected, v, symbol);
    }
  }
}
