package org.vcpusim.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vcpusim.core.event.EventPriority;
import org.vcpusim.core.event.EventQueue;
import org.vcpusim.core.event.Simulation;
import org.vcpusim.core.event.StopReason;
import org.vcpusim.core.random.RandomStream;
import org.vcpusim.core.random.RandomStreams;
import org.vcpusim.core.stats.StatsRegistry;
import org.vcpusim.core.trace.RecordingTraceSink;
import org.vcpusim.core.trace.TraceArgs;
import org.vcpusim.core.trace.TraceRecord;

/**
 * The same seed gives the same run: a small randomized machine (CPUs that run slices of random
 * length, periodic timers that all fire on the same ticks and sometimes preempt, IPIs sent to
 * random CPUs) is run twice per seed and must produce identical traces and statistics.
 */
class DeterminismTest {

  private static final int CPUS = 3;
  private static final long TIMER_PERIOD = 10_000;
  private static final long RUN_LENGTH = 200_000;

  /** What a run produced. */
  record Outcome(List<TraceRecord> trace, String statsJson, long eventsExecuted, long now) {}

  /** Builds the toy machine for {@code seed} and runs it to {@link #RUN_LENGTH}. */
  static Outcome run(long seed) {
    Simulation sim = new Simulation();
    EventQueue events = sim.events();
    RandomStreams random = new RandomStreams(seed);
    StatsRegistry stats = new StatsRegistry();
    RecordingTraceSink trace = new RecordingTraceSink();
    int[] step = new int[CPUS];
    int[] ipi = new int[CPUS];
    for (int cpu = 0; cpu < CPUS; cpu++) {
      String track = "cpu" + cpu;
      RandomStream rng = random.stream("cpu" + cpu);
      step[cpu] = events.newEvent((tick, self, c) -> {
        long length = rng.uniform(100, 5_000);
        trace.slice(track, "run", tick, tick + length, TraceArgs.of("len", length));
        stats.counter(track + ".steps").increment();
        if (rng.bernoulli(0.2)) {
          int target = (int) ((c + 1 + rng.nextInt(CPUS - 1)) % CPUS);
          events.reschedule(ipi[target], tick + rng.uniform(0, 300));
        }
        events.schedule(self, tick + length);
      }, EventPriority.CPU_STEP, cpu);
      events.schedule(step[cpu], rng.uniform(0, 1_000));
      int timer = events.newEvent((tick, self, c) -> {
        trace.instant(track, "timer", tick, TraceArgs.NONE);
        stats.distribution("timer.jitter").record(rng.nextInt(1_000));
        if (rng.bernoulli(0.1) && events.cancel(step[(int) c])) {
          trace.instant(track, "preempt", tick, TraceArgs.NONE);
          events.schedule(step[(int) c], tick);
        }
        events.schedule(self, tick + TIMER_PERIOD);
      }, EventPriority.TIMER_EXPIRY, cpu);
      events.schedule(timer, TIMER_PERIOD);
      ipi[cpu] = events.newEvent((tick, self, c) -> {
        trace.instant(track, "ipi", tick, TraceArgs.NONE);
        stats.counter(track + ".ipis").increment();
        trace.counter(track, "ipis", tick, stats.counter(track + ".ipis").value());
      }, EventPriority.IPI_DELIVERY, cpu);
    }
    StopReason reason = sim.runUntil(RUN_LENGTH);
    assertEquals(StopReason.TICK_LIMIT, reason);
    stats.counter("sim.events").add(sim.eventsExecuted());
    return new Outcome(List.copyOf(trace.records()), stats.toJson(), sim.eventsExecuted(),
        sim.now());
  }

  @Test
  void sameSeedGivesTheSameTraceAndStatistics() {
    qt().withExamples(1000)
        .forAll(longs().all())
        .checkAssert(seed -> {
          Outcome first = run(seed);
          Outcome second = run(seed);
          assertEquals(first, second);
          assertTrue(first.trace().size() > 100, "the run did something");
          assertEquals(RUN_LENGTH, first.now());
          assertNotEquals(first.trace(), run(seed + 1).trace());
        });
  }
}
