package org.vcpusim.cpu.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.exec.MemoryLevel;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.cpu.profile.CpuProfiles;

class MemorySystemTest {
  private static final int ASID = 1;
  private static final long A = 0x10000;
  private static final long B = 0x20000;
  private static final long C = 0x30000;

  private final CpuProfile zen5 = CpuProfiles.load("zen5");

  @Test
  void workingSetLargerThanL1ButWithinL2MissesL1AndHitsL2() {
    MemorySystem m = new MemorySystem(zen5, 1, 1);
    int lines = 2 * zen5.caches().l1d().sizeKiB() * 1024 / 64; // 96 KiB
    for (int i = 0; i < lines; i++) {
      assertEquals(MemoryLevel.DRAM, m.access(0, ASID, A + 64L * i, 8, false));
    }
    CacheStatistics before = m.statistics(0);
    for (int i = 0; i < lines; i++) {
      assertEquals(MemoryLevel.L2, m.access(0, ASID, A + 64L * i, 8, false));
      assertEquals(zen5.memory().l2(), m.lastLatency());
    }
    CacheStatistics after = m.statistics(0);
    assertEquals(0, after.l1Hits() - before.l1Hits());
    assertEquals(lines, after.l1Misses() - before.l1Misses());
    assertEquals(lines, after.l2Hits() - before.l2Hits());
    m.checkCoherence();
  }

  @Test
  void workingSetWithinL1HitsL1() {
    MemorySystem m = new MemorySystem(zen5, 1, 1);
    int lines = zen5.caches().l1d().sizeKiB() * 1024 / 64 / 2;
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < lines; i++) {
        m.access(0, ASID, A + 64L * i, 8, false);
      }
    }
    assertEquals(lines, m.hits(0, MemoryLevel.L1));
    assertEquals(lines, m.hits(0, MemoryLevel.DRAM));
  }

  @Test
  void lineWrittenByAnotherCoreIsATransferCostedByDistance() {
    MemorySystem m = new MemorySystem(zen5, 2, 16); // two sockets of two 8-core CCDs
    m.access(0, ASID, A, 8, true);
    m.access(0, ASID, B, 8, true);
    m.access(0, ASID, C, 8, true);
    assertEquals(MemoryLevel.REMOTE_CORE, m.access(1, ASID, A, 8, false)); // same CCD
    assertEquals(zen5.memory().crossCoreSameLlc(), m.lastLatency());
    assertEquals(MemoryLevel.REMOTE_CORE, m.access(9, ASID, B, 8, false)); // other CCD
    assertEquals(zen5.memory().crossCoreSameSocket(), m.lastLatency());
    assertEquals(MemoryLevel.REMOTE_CORE, m.access(16, ASID, C, 8, false)); // other socket
    assertEquals(zen5.memory().crossCoreOtherSocket(), m.lastLatency());
    assertEquals(MemoryLevel.L1, m.access(1, ASID, A, 8, false)); // now a local copy
    assertEquals(MemoryLevel.L1, m.access(0, ASID, A, 8, false)); // the writer keeps a copy
    assertEquals(1, m.transfers(1));
    m.checkCoherence();
  }

  @Test
  void writeInvalidatesOtherCopiesSoTheirNextAccessIsATransfer() {
    MemorySystem m = new MemorySystem(zen5, 1, 8);
    assertEquals(MemoryLevel.DRAM, m.access(0, ASID, A, 8, false));
    assertEquals(MemoryLevel.LLC, m.access(1, ASID, A, 8, false)); // clean: from the LLC
    assertEquals(MemoryLevel.REMOTE_CORE, m.access(1, ASID, A, 8, true)); // invalidates core 0
    assertFalse(m.inL1(0, ASID, A));
    assertFalse(m.inL2(0, ASID, A));
    assertEquals(1, m.invalidations(0));
    assertEquals(MemoryLevel.REMOTE_CORE, m.access(0, ASID, A, 8, false));
    assertEquals(zen5.memory().crossCoreSameLlc(), m.lastLatency());
    assertEquals(MemoryLevel.L1, m.access(1, ASID, A, 8, false)); // core 1 kept a shared copy
    m.checkCoherence();
  }

  @Test
  void firstWriteToAnExclusiveLineIsSilentButMakesItRemoteForOthers() {
    MemorySystem m = new MemorySystem(zen5, 1, 2);
    m.access(0, ASID, A, 8, false);
    assertEquals(MemoryLevel.L1, m.access(0, ASID, A, 8, true));
    assertEquals(MemoryLevel.REMOTE_CORE, m.access(1, ASID, A, 8, false));
    m.checkCoherence();
  }

  @Test
  void linesAreTaggedByAddressSpace() {
    MemorySystem m = new MemorySystem(zen5, 1, 2);
    m.access(0, 1, A, 8, true);
    assertEquals(MemoryLevel.DRAM, m.access(1, 2, A, 8, false)); // not asid 1's modified line
    assertEquals(MemoryLevel.LLC, m.access(0, 2, A, 8, false)); // core 1's fill of asid 2
    assertEquals(MemoryLevel.L1, m.access(0, 1, A, 8, false));
    assertEquals(0, m.transfers(0) + m.transfers(1));
  }

  @Test
  void lineCrossingAccessTouchesBothLines() {
    MemorySystem m = new MemorySystem(zen5, 1, 1);
    m.access(0, ASID, A, 8, false); // first line warm
    assertEquals(MemoryLevel.DRAM, m.access(0, ASID, A + 60, 8, false));
    assertTrue(m.inL1(0, ASID, A + 64));
    assertEquals(zen5.memory().dram(), m.lastLatency());
    assertEquals(MemoryLevel.L1, m.access(0, ASID, A + 60, 8, false));
  }

  @Test
  void prefetchBringsTheLineIntoL1WithoutCountingAsAnAccess() {
    MemorySystem m = new MemorySystem(zen5, 1, 1);
    m.prefetch(0, ASID, A);
    assertTrue(m.inL1(0, ASID, A));
    assertEquals(0, m.hits(0, MemoryLevel.DRAM));
    assertEquals(1, m.prefetches(0));
    assertEquals(MemoryLevel.L1, m.access(0, ASID, A, 8, false));
  }

  @Test
  void l2VictimsAreFoundInTheLlc() {
    MemorySystem m = new MemorySystem(tiny(), 1, 2);
    int l2Lines = 2 * 1024 / 64;
    for (int i = 0; i < 2 * l2Lines; i++) {
      m.access(0, ASID, A + 64L * i, 8, false);
    }
    assertEquals(MemoryLevel.LLC, m.access(0, ASID, A, 8, false));
    m.checkCoherence();
  }

  /** Random loads and stores by four cores of two sockets on tiny caches keep coherence. */
  @Test
  void randomAccessesKeepTheCoherenceInvariants() {
    qt().withExamples(200)
        .forAll(lists().of(integers().between(0, (1 << 10) - 1)).ofSizeBetween(1, 400))
        .checkAssert(ops -> run(ops));
  }

  private void run(List<Integer> ops) {
    MemorySystem m = new MemorySystem(tiny(), 2, 2);
    Map<Long, Integer> lastWriter = new HashMap<>();
    for (int op : ops) {
      int core = op & 3;
      boolean write = (op & 4) != 0;
      long line = op >>> 3; // 128 lines, 4x the L2
      long address = A + 64 * line;
      Integer writer = lastWriter.get(line);
      boolean otherWroteAndHolds =
          writer != null && writer != core && m.inL2(writer, ASID, address)
              && !m.inL2(core, ASID, address);
      MemoryLevel level = m.access(core, ASID, address, 8, write);
      if (otherWroteAndHolds) {
        assertEquals(MemoryLevel.REMOTE_CORE, level, "line written by core " + writer);
        assertEquals(m.crossCoreLatency(core, writer), m.lastLatency());
      }
      if (write) {
        lastWriter.put(line, core);
        for (int other = 0; other < 4; other++) {
          if (other != core) {
            assertFalse(m.inL2(other, ASID, address));
          }
        }
      } else if (writer != null && writer != core && m.inL2(writer, ASID, address)) {
        lastWriter.remove(line); // the read made the line clean and shared
      }
      // a writer that lost the line (evicted: written back) no longer makes it a transfer
      lastWriter.entrySet().removeIf(e -> !m.inL2(e.getValue(), ASID, A + 64 * e.getKey()));
      m.checkCoherence();
    }
  }

  /** The zen5 profile with 1 KiB 2-way L1d, 2 KiB 4-way L2, 4 KiB LLC per 2 cores. */
  private CpuProfile tiny() {
    CpuProfile.CacheGeometry g = new CpuProfile.CacheGeometry(64,
        new CpuProfile.Level(1, 2), new CpuProfile.Level(2, 4), new CpuProfile.Llc(4, 4, 2));
    return new CpuProfile("tiny", "tiny caches", zen5.frequencyGhz(), zen5.pipeline(),
        zen5.alu(), zen5.memory(), zen5.branch(), zen5.system(), g, zen5.features(),
        zen5.kernel(), zen5.sources());
  }
}
