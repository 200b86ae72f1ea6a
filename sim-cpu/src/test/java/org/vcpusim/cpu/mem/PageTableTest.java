package org.vcpusim.cpu.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The open-addressing table against a HashMap under random puts and removes. */
class PageTableTest {
  @Test
  void behavesLikeAMap() {
    PageTable table = new PageTable();
    Map<Long, Page> model = new HashMap<>();
    SplittableRandom random = new SplittableRandom(9);
    for (int step = 0; step < 200_000; step++) {
      // A small key space forces collisions, probing and backward shifts.
      long key = random.nextInt(3000) * (random.nextBoolean() ? 1L : 4099L);
      int action = random.nextInt(3);
      if (action == 0) {
        Page p = new Page(step & 7);
        table.put(key, p);
        model.put(key, p);
      } else if (action == 1) {
        assertSame(model.remove(key), table.remove(key));
      } else {
        assertSame(model.get(key), table.get(key));
      }
      assertEquals(model.size(), table.size());
    }
    for (Map.Entry<Long, Page> e : model.entrySet()) {
      assertSame(e.getValue(), table.get(e.getKey()));
    }
    assertEquals(model.size(), table.pageNumbers().length);
  }
}
