package org.vcpusim.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {

  private final Simulation sim = new Simulation();
  private final EventQueue events = sim.events();
  private final List<String> log = new ArrayList<>();

  /** An event that logs "name@tick" and reschedules itself every {@code period} ticks. */
  private int periodic(String name, long period, int priority) {
    int event = events.newEvent((tick, self, payload) -> {
      log.add(name + "@" + tick);
      events.schedule(self, tick + payload);
    }, priority, period);
    events.schedule(event, period);
    return event;
  }

  @Test
  void runUntilRunsEventsAtTheLimitAndSetsTheClock() {
    periodic("t", 10, EventPriority.TIMER_EXPIRY);
    assertEquals(StopReason.TICK_LIMIT, sim.runUntil(30));
    assertEquals(List.of("t@10", "t@20", "t@30"), log);
    assertEquals(30, sim.now());
    assertEquals(StopReason.TICK_LIMIT, sim.runUntil(35));
    assertEquals(35, sim.now());
    assertEquals(3, sim.eventsExecuted());
    assertThrows(IllegalArgumentException.class, () -> sim.runUntil(34));
  }

  @Test
  void runUntilOnAnEmptyQueueStillAdvancesTheClock() {
    assertEquals(StopReason.TICK_LIMIT, sim.runUntil(1_000));
    assertEquals(1_000, sim.now());
  }

  @Test
  void runEventsStopsAfterTheLimitAndContinuesLater() {
    periodic("a", 3, EventPriority.DEFAULT);
    periodic("b", 2, EventPriority.DEFAULT);
    assertEquals(StopReason.EVENT_LIMIT, sim.runEvents(4));
    assertEquals(List.of("b@2", "a@3", "b@4", "a@6"), log);
    assertEquals(StopReason.EVENT_LIMIT, sim.runEvents(1));
    // b was rescheduled at 6 after a was: FIFO at equal tick and priority.
    assertEquals("b@6", log.get(4));
    assertEquals(5, sim.eventsExecuted());
    assertEquals(StopReason.EVENT_LIMIT, sim.runEvents(0));
    assertEquals(5, sim.eventsExecuted());
  }

  @Test
  void runReturnsWhenTheQueueIsEmpty() {
    int once = events.newEvent((tick, self, payload) -> log.add("once@" + tick), 0);
    events.schedule(once, 42);
    assertEquals(StopReason.QUEUE_EMPTY, sim.run());
    assertEquals(List.of("once@42"), log);
    assertEquals(42, sim.now());
    assertEquals(StopReason.QUEUE_EMPTY, sim.run());
  }

  @Test
  void stopFromAHandlerEndsTheLoopAfterTheCurrentEvent() {
    periodic("cpu", 5, EventPriority.CPU_STEP);
    int stopper = events.newEvent((tick, self, payload) -> {
      log.add("stop@" + tick);
      sim.stop();
    }, EventPriority.TIMER_EXPIRY);
    events.schedule(stopper, 15);
    assertEquals(StopReason.STOPPED, sim.run());
    // The stopper runs before the CPU step of tick 15 (lower priority value); nothing after it.
    assertEquals(List.of("cpu@5", "cpu@10", "stop@15"), log);
    assertEquals(15, sim.now());
    assertFalse(sim.isStopRequested());
    // The run continues where it stopped.
    assertEquals(StopReason.EVENT_LIMIT, sim.runEvents(2));
    assertEquals(List.of("cpu@5", "cpu@10", "stop@15", "cpu@15", "cpu@20"), log);
  }

  @Test
  void stopBeforeARunMakesItReturnAtOnce() {
    periodic("x", 1, 0);
    sim.stop();
    assertTrue(sim.isStopRequested());
    assertEquals(StopReason.STOPPED, sim.runUntil(100));
    assertEquals(0, sim.eventsExecuted());
    assertEquals(0, sim.now());
  }

  @Test
  void stopWithinRunUntilLeavesTheClockAtTheStoppingEvent() {
    int stopper = events.newEvent((tick, self, payload) -> sim.stop(), 0);
    events.schedule(stopper, 7);
    assertEquals(StopReason.STOPPED, sim.runUntil(100));
    assertEquals(7, sim.now());
  }

  @Test
  void aThrowingHandlerLeavesTheRunUsable() {
    int bad = events.newEvent((tick, self, payload) -> {
      throw new IllegalStateException("boom at " + tick);
    }, 0);
    periodic("ok", 4, 0);
    events.schedule(bad, 6);
    IllegalStateException e = assertThrows(IllegalStateException.class, sim::run);
    assertEquals("boom at 6", e.getMessage());
    assertEquals(List.of("ok@4"), log);
    assertEquals(2, sim.eventsExecuted());
    assertEquals(StopReason.TICK_LIMIT, sim.runUntil(8));
    assertEquals(List.of("ok@4", "ok@8"), log);
  }

  @Test
  void handlersCannotStartANestedLoop() {
    int nested = events.newEvent((tick, self, payload) -> sim.runEvents(1), 0);
    events.schedule(nested, 1);
    assertThrows(IllegalStateException.class, sim::run);
  }

  @Test
  void handlerSeesTheEventsOwnTickAndPayload() {
    List<long[]> seen = new ArrayList<>();
    int event = events.newEvent((tick, self, payload) -> {
      seen.add(new long[] {tick, self, payload, sim.now(), sim.eventsExecuted()});
    }, 0, 99);
    events.schedule(event, 12);
    sim.run();
    assertEquals(1, seen.size());
    assertEquals(List.of(12L, (long) event, 99L, 12L, 1L),
        List.of(seen.get(0)[0], seen.get(0)[1], seen.get(0)[2], seen.get(0)[3], seen.get(0)[4]));
  }
}
