package org.vcpusim.scenarios.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vcpusim.core.random.RandomStreams;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.machine.Machine;
import org.vcpusim.kernel.machine.RunOutcome;
import org.vcpusim.kernel.rseq.RseqIdUpdatePolicy;
import org.vcpusim.scenarios.scenario.Abi;
import org.vcpusim.scenarios.scenario.DisturbanceRates;
import org.vcpusim.scenarios.scenario.WorkloadKind;
import org.vcpusim.scenarios.scenario.WorkloadSpec;

/**
 * Every slab routine of every ABI variant against a Java model, on one CPU with one thread: the
 * driver's op choice (xorshift64, alloc/free weights, size class, held index), Pop (the last
 * object pushed), Push, the underflow path (a batch from the central list: the top object is the
 * result, the rest pushed from the batch's top down, the overflow given back), the overflow path
 * (the object and up to batch-1 popped objects to the central list). After the run the simulated
 * slab of id 0, the central lists, the thread's held record and its counters must equal the
 * model's exactly, and the model must have taken both slow paths.
 */
class SlabModelTest {
  static final int OPS = 3000;
  /** Below the default, so that the model also exercises "record full: free instead". */
  static final int MAX_HELD = 48;

  /** The slab, central lists and driver of one thread, as the assembly does them. */
  static final class Model {
    final WorkloadSpec spec;
    final List<List<Long>> slab = new ArrayList<>();
    final List<List<Long>> central = new ArrayList<>();
    final List<long[]> held = new ArrayList<>();
    final long threshold;
    long rng;
    long fails;
    long refills;
    long returns;

    Model(WorkloadSpec spec, WorkloadImage image, long seed) {
      this.spec = spec;
      for (int c = 0; c < spec.sizeClasses(); c++) {
        slab.add(new ArrayList<>());
        List<Long> l = new ArrayList<>();
        for (int i = c; i < spec.objects(); i += spec.sizeClasses()) {
          l.add(image.objectAddress(i));
        }
        central.add(l);
      }
      threshold = ((long) spec.mix().pop() << 32) / (spec.mix().pop() + spec.mix().push());
      long s = RandomStreams.streamSeed(seed, "workload.thread.0");
      rng = s == 0 ? 1 : s;
    }

    static long xorshift(long x) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      return x;
    }

    void op() {
      long x = xorshift(rng);
      rng = x;
      boolean alloc = (x >>> 32) < threshold;
      if (alloc && held.size() >= MAX_HELD) {
        alloc = false;
      } else if (!alloc && held.isEmpty()) {
        alloc = true;
      }
      if (alloc) {
        int sc = (int) ((((x >>> 8) & 0xffffff) * spec.sizeClasses()) >>> 24);
        long obj = pop(sc);
        if (obj == 0) {
          fails++;
        } else {
          held.add(new long[] {obj, sc});
        }
      } else {
        long y = xorshift(x);
        int n = held.size();
        int idx = (int) (((y >>> 32) * n) >>> 32);
        long[] e = held.get(idx);
        held.set(idx, held.get(n - 1));
        held.remove(n - 1);
        push(e[0], (int) e[1]);
      }
    }

    long pop(int sc) {
      List<Long> s = slab.get(sc);
      if (!s.isEmpty()) {
        return s.remove(s.size() - 1);
      }
      refills++;
      List<Long> c = central.get(sc);
      int n = Math.min(spec.batch(), c.size());
      if (n == 0) {
        return 0;
      }
      List<Long> xfer = new ArrayList<>(c.subList(c.size() - n, c.size()));
      c.subList(c.size() - n, c.size()).clear();
      long result = xfer.get(n - 1);
      int r = n - 1;
      while (r > 0 && s.size() < spec.slabCapacity()) {
        s.add(xfer.get(r - 1));
        r--;
      }
      c.addAll(xfer.subList(0, r));
      return result;
    }

    void push(long obj, int sc) {
      List<Long> s = slab.get(sc);
      if (s.size() < spec.slabCapacity()) {
        s.add(obj);
        return;
      }
      returns++;
      List<Long> xfer = new ArrayList<>();
      xfer.add(obj);
      while (xfer.size() < spec.batch() && !s.isEmpty()) {
        xfer.add(s.remove(s.size() - 1));
      }
      central.get(sc).addAll(xfer);
    }
  }

  @ParameterizedTest
  @EnumSource(Abi.class)
  void everyRoutineMatchesTheModel(Abi abi) {
    WorkloadSpec spec = WorkloadMachines.spec(WorkloadKind.SLAB, 55, 45, 4, 8, 160, 4,
        DisturbanceRates.NONE);
    Machine m = WorkloadMachines.machine(1, RseqIdUpdatePolicy.LEGACY);
    WorkloadImage img = WorkloadImage.build(spec, abi,
        WorkloadImage.Options.of(1, 7, 2, OPS, m.frequencyHz()).withMaxHeld(MAX_HELD));
    WorkloadRun run = WorkloadRun.start(m, img, "model", null);
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(5)));
    assertTrue(m.findings().isEmpty(), m.findings().toString());

    Model model = new Model(spec, img, 7);
    for (int i = 0; i < OPS; i++) {
      model.op();
    }
    assertTrue(model.refills > 10 && model.returns > 10 && model.fails == 0,
        "the model took both slow paths: refills " + model.refills + ", returns " + model.returns);

    AddressSpace mem = run.process().addressSpace();
    PerIdRegion regions = img.regions();
    for (int c = 0; c < spec.sizeClasses(); c++) {
      long hdr = mem.load(regions.regionBase(0) + 4L * c, 4);
      int begin = img.classBegin(c);
      List<Long> slab = new ArrayList<>();
      for (int s = begin; s < (hdr & 0xffff); s++) {
        slab.add(mem.load(regions.regionBase(0) + 8L * s, 8));
      }
      assertEquals(model.slab.get(c), slab, abi + " slab class " + c);
      assertEquals(begin + spec.slabCapacity(), hdr >>> 16, "end of class " + c);
      assertEquals(begin, mem.load(regions.regionBase(1) + 4L * c, 2), "region 1 untouched");
      long central = img.centralAddress(c);
      List<Long> cl = new ArrayList<>();
      for (long i = 0; i < mem.load(central + 8, 8); i++) {
        cl.add(mem.load(central + WorkloadImage.CENTRAL_SLOTS + 8 * i, 8));
      }
      assertEquals(model.central.get(c), cl, abi + " central list " + c);
      assertEquals(0, mem.load(central, 8), "central lock released");
    }
    long block = img.threadBlock(0);
    assertEquals(model.held.size(), mem.load(block + ThreadBlock.HELD_N, 8));
    for (int i = 0; i < model.held.size(); i++) {
      long e = block + img.blockLayout().held() + 16L * i;
      assertEquals(model.held.get(i)[0], mem.load(e, 8), "held object " + i);
      assertEquals(model.held.get(i)[1], mem.load(e + 8, 8), "held class " + i);
    }
    assertEquals(OPS, mem.load(block + ThreadBlock.OPS, 8));
    assertEquals(model.rng, mem.load(block + ThreadBlock.RNG, 8));
    assertEquals(List.of(), run.check(), "conservation holds exactly");
    assertEquals(OPS, run.meter().ops());
  }
}
