package org.vcpusim.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Stateful model test: any sequence of create / schedule / reschedule / cancel / pop / release /
 * advance commands makes {@link EventQueue} behave exactly like a sorted set keyed by (tick,
 * priority, sequence): same popped handles in the same order, same clock, same size, same
 * earliest tick, same errors. Priorities come from a set of five. Two command mixes: a broad one
 * (delays mostly 0..3 ticks, some up to 1,000 and a few up to 2^50 for the high radix buckets)
 * and a dense one (delays 0 or 1, many cancels and reschedules) that builds deep same-tick bins
 * and removes from their middle; in both the FIFO tie-break decides most pops.
 */
class EventQueueModelTest {

  private static final EventHandler NO_OP = (tick, event, payload) -> { };

  /** A command; {@code target} picks a live event by index modulo the number of live events. */
  sealed interface Command permits Create, Schedule, Reschedule, Cancel, Pop, Release, Advance {}

  record Create(int priority, long delay) implements Command {}

  record Schedule(int target, long delay) implements Command {}

  record Reschedule(int target, long delay) implements Command {}

  record Cancel(int target) implements Command {}

  record Pop() implements Command {}

  record Release(int target) implements Command {}

  record Advance(long delay) implements Command {}

  /** Reference: a pending event in the model. */
  record Entry(long tick, int priority, long sequence, int event) {}

  private static final Comparator<Entry> ORDER = Comparator.comparingLong(Entry::tick)
      .thenComparingInt(Entry::priority)
      .thenComparingLong(Entry::sequence);

  /** The reference model: a sorted set and a clock. */
  static final class Model {
    final TreeSet<Entry> pending = new TreeSet<>(ORDER);
    final Map<Integer, Entry> byEvent = new HashMap<>();
    final Map<Integer, Integer> priorities = new HashMap<>();
    final List<Integer> live = new ArrayList<>();
    long now;
    long sequence;

    void add(int event, long tick) {
      Entry entry = new Entry(tick, priorities.get(event), sequence++, event);
      pending.add(entry);
      byEvent.put(event, entry);
    }

    void remove(int event) {
      Entry entry = byEvent.remove(event);
      if (entry != null) {
        pending.remove(entry);
      }
    }
  }

  @Test
  void queuePopsExactlyWhatTheSortedReferencePops() {
    qt().withExamples(1000)
        .forAll(lists().of(commands(broadDelays(), 2, 3)).ofSizeBetween(1, 250))
        .checkAssert(EventQueueModelTest::runAgainstModel);
  }

  @Test
  void queueMatchesTheReferenceWhenManyEventsShareATick() {
    qt().withExamples(1000)
        .forAll(lists().of(commands(denseDelays(), 5, 5)).ofSizeBetween(1, 250))
        .checkAssert(EventQueueModelTest::runAgainstModel);
  }

  static Gen<Long> broadDelays() {
    return Generate.frequency(
        Pair.of(8, Generate.longRange(0, 3)),
        Pair.of(3, Generate.longRange(0, 1_000)),
        Pair.of(1, Generate.longRange(0, 1L << 50)),
        Pair.of(1, Generate.longRange(-3, -1)));
  }

  static Gen<Long> denseDelays() {
    return Generate.frequency(
        Pair.of(12, Generate.longRange(0, 1)),
        Pair.of(1, Generate.longRange(0, 64)));
  }

  static Gen<Integer> priorities() {
    return Generate.pick(List.of(0, 1, -1, EventPriority.MINIMUM, EventPriority.MAXIMUM));
  }

  static Gen<Command> commands(Gen<Long> delays, int rescheduleWeight, int cancelWeight) {
    Gen<Integer> targets = Generate.range(0, 1_000);
    return Generate.frequency(
        Pair.of(5, priorities().zip(delays, (p, d) -> (Command) new Create(p, d))),
        Pair.of(2, targets.zip(delays, (t, d) -> (Command) new Schedule(t, d))),
        Pair.of(rescheduleWeight, targets.zip(delays, (t, d) -> (Command) new Reschedule(t, d))),
        Pair.of(cancelWeight, targets.map(t -> (Command) new Cancel(t))),
        Pair.of(7, Generate.constant((Command) new Pop())),
        Pair.of(1, targets.map(t -> (Command) new Release(t))),
        Pair.of(1, delays.map(d -> (Command) new Advance(d))));
  }

  static void runAgainstModel(List<Command> commands) {
    EventQueue queue = new EventQueue(1);
    Model model = new Model();
    for (Command command : commands) {
      apply(queue, model, command);
      assertEquals(model.now, queue.now(), () -> "now after " + command);
      assertEquals(model.pending.size(), queue.size(), () -> "size after " + command);
      if (!model.pending.isEmpty()) {
        assertEquals(model.pending.first().tick(), queue.peekTick(),
            () -> "earliest tick after " + command);
      }
    }
    for (int event : model.live) {
      Entry entry = model.byEvent.get(event);
      assertEquals(entry != null, queue.isScheduled(event), () -> "isScheduled " + event);
      if (entry != null) {
        assertEquals(entry.tick(), queue.when(event), () -> "when " + event);
      }
      assertEquals((int) model.priorities.get(event), queue.priority(event));
    }
    // Drain both: the remaining order must agree too.
    while (!model.pending.isEmpty()) {
      Entry expected = model.pending.pollFirst();
      assertEquals(expected.event(), queue.pop(), () -> "drain pop, expected " + expected);
      assertEquals(expected.tick(), queue.now());
    }
    assertTrue(queue.isEmpty());
    assertEquals(EventQueue.NONE, queue.poll(Long.MAX_VALUE));
  }

  private static void apply(EventQueue queue, Model model, Command command) {
    if (command instanceof Create c) {
      int event = queue.newEvent(NO_OP, c.priority(), 0);
      assertFalse(model.live.contains(event), "a live handle was handed out twice");
      model.live.add(event);
      model.priorities.put(event, c.priority());
      long tick = model.now + c.delay();
      if (tick < model.now) {
        assertThrows(IllegalArgumentException.class, () -> queue.schedule(event, tick));
      } else {
        queue.schedule(event, tick);
        model.add(event, tick);
      }
    } else if (command instanceof Schedule s) {
      if (model.live.isEmpty()) {
        return;
      }
      int event = model.live.get(s.target() % model.live.size());
      long tick = model.now + s.delay();
      if (model.byEvent.containsKey(event)) {
        assertThrows(IllegalStateException.class, () -> queue.schedule(event, tick));
      } else if (tick < model.now) {
        assertThrows(IllegalArgumentException.class, () -> queue.schedule(event, tick));
      } else {
        queue.schedule(event, tick);
        model.add(event, tick);
      }
    } else if (command instanceof Reschedule r) {
      if (model.live.isEmpty()) {
        return;
      }
      int event = model.live.get(r.target() % model.live.size());
      long tick = model.now + r.delay();
      if (tick < model.now) {
        assertThrows(IllegalArgumentException.class, () -> queue.reschedule(event, tick));
      } else {
        queue.reschedule(event, tick);
        model.remove(event);
        model.add(event, tick);
      }
    } else if (command instanceof Cancel c) {
      if (model.live.isEmpty()) {
        return;
      }
      int event = model.live.get(c.target() % model.live.size());
      boolean wasPending = model.byEvent.containsKey(event);
      assertEquals(wasPending, queue.cancel(event), "cancel result");
      model.remove(event);
    } else if (command instanceof Pop) {
      if (model.pending.isEmpty()) {
        assertThrows(NoSuchElementException.class, queue::pop);
        return;
      }
      Entry expected = model.pending.pollFirst();
      model.byEvent.remove(expected.event());
      model.now = expected.tick();
      assertEquals(expected.event(), queue.pop(), () -> "pop, expected " + expected);
    } else if (command instanceof Release r) {
      if (model.live.isEmpty()) {
        return;
      }
      int index = r.target() % model.live.size();
      int event = model.live.remove(index);
      model.remove(event);
      queue.release(event);
      assertThrows(IllegalArgumentException.class, () -> queue.isScheduled(event));
    } else if (command instanceof Advance a) {
      long tick = model.now + a.delay();
      boolean pastPending = !model.pending.isEmpty() && tick > model.pending.first().tick();
      if (tick < model.now || pastPending) {
        assertThrows(IllegalArgumentException.class, () -> queue.advanceTo(tick));
      } else {
        queue.advanceTo(tick);
        model.now = tick;
      }
    }
  }
}
