package org.vcpusim.cpu.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Section;

/** Sections become pages with their permissions and exact bytes. */
class LoaderTest {
  private static final int R = AddressSpace.READ;
  private static final int W = AddressSpace.WRITE;
  private static final int X = AddressSpace.EXECUTE;

  @Test
  void mapsEverySectionWithItsPermissionsAndBytes() {
    byte[] text = {(byte) 0x90, (byte) 0xC3};
    byte[] rodata = {0x53, 0x30, 0x05, 0x53};
    byte[] bss = new byte[5000];
    byte[] rseqCs = new byte[32];
    rseqCs[8] = 0x11;
    AssembledProgram p = new AssembledProgram("t.s", List.of(
        new Section(".text", 0x401000, text, 16, true, false, true),
        new Section(".rodata", 0x402000, rodata, 4, true, false, false),
        new Section(".bss", 0x403000, bss, 8, true, true, false),
        new Section("__rseq_cs", 0x405000, rseqCs, 32, true, true, false),
        new Section(".empty", 0x406000, new byte[0], 1, true, true, true)),
        new TreeMap<>(), List.of());
    AddressSpace space = new AddressSpace(1);
    Loader.load(p, space);
    assertEquals(R | X, space.permissionsAt(0x401000));
    assertEquals(R, space.permissionsAt(0x402000));
    assertEquals(R | W, space.permissionsAt(0x403000));
    assertEquals(R | W, space.permissionsAt(0x404000), "bss spans two pages");
    assertEquals(R | W, space.permissionsAt(0x405000));
    assertEquals(-1, space.permissionsAt(0x406000), "empty sections map nothing");
    assertEquals(0x53053053L, space.load(0x402000, 4), "exact bytes, little-endian");
    assertEquals(0xC390, space.load(0x401000, 2));
    assertEquals(0x11, space.load(0x405008, 1));
    assertFalse(space.hasFault());
  }

  @Test
  void sectionsSharingAPageGetTheUnionOfPermissions() {
    AssembledProgram p = new AssembledProgram("t.s", List.of(
        new Section(".text", 0x401000, new byte[16], 16, true, false, true),
        new Section(".data", 0x401800, new byte[] {1, 2, 3}, 8, true, true, false)),
        new TreeMap<>(), List.of());
    AddressSpace space = new AddressSpace(1);
    Loader.load(p, space);
    assertEquals(R | W | X, space.permissionsAt(0x401000));
    assertEquals(0x030201, space.load(0x401800, 3));
  }
}
