package org.vcpusim.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class EventQueueTest {

  private static final EventHandler NO_OP = (tick, event, payload) -> { };

  private final EventQueue queue = new EventQueue();

  private List<Integer> drain() {
    List<Integer> order = new ArrayList<>();
    while (!queue.isEmpty()) {
      order.add(queue.pop());
    }
    return order;
  }

  @Test
  void sameTickRunsByPriorityThenInSchedulingOrder() {
    int cpu = queue.newEvent(NO_OP, EventPriority.CPU_STEP);
    int timerA = queue.newEvent(NO_OP, EventPriority.TIMER_EXPIRY);
    int ipi = queue.newEvent(NO_OP, EventPriority.IPI_DELIVERY);
    int timerB = queue.newEvent(NO_OP, EventPriority.TIMER_EXPIRY);
    int exit = queue.newEvent(NO_OP, EventPriority.SIMULATION_EXIT);
    queue.schedule(exit, 100);
    queue.schedule(cpu, 100);
    queue.schedule(timerA, 100);
    queue.schedule(ipi, 100);
    queue.schedule(timerB, 100);
    assertEquals(List.of(ipi, timerA, timerB, cpu, exit), drain());
    assertEquals(100, queue.now());
  }

  @Test
  void earlierTickWinsOverPriority() {
    int late = queue.newEvent(NO_OP, EventPriority.MINIMUM);
    int early = queue.newEvent(NO_OP, EventPriority.MAXIMUM);
    queue.schedule(late, 11);
    queue.schedule(early, 10);
    assertEquals(List.of(early, late), drain());
  }

  @Test
  void rescheduleTakesAFreshSequenceNumber() {
    int a = queue.newEvent(NO_OP, 0);
    int b = queue.newEvent(NO_OP, 0);
    queue.schedule(a, 5);
    queue.schedule(b, 5);
    queue.reschedule(a, 5);
    assertEquals(List.of(b, a), drain());
  }

  @Test
  void schedulingIntoThePastThrowsAndSchedulingAtNowIsAllowed() {
    int a = queue.newEvent(NO_OP, EventPriority.DEFAULT);
    queue.schedule(a, 50);
    assertEquals(a, queue.pop());
    assertEquals(50, queue.now());
    IllegalArgumentException past =
        assertThrows(IllegalArgumentException.class, () -> queue.schedule(a, 49));
    assertTrue(past.getMessage().contains("before the current tick 50"), past.getMessage());
    assertThrows(IllegalArgumentException.class, () -> queue.reschedule(a, 0));
    assertThrows(IllegalArgumentException.class, () -> queue.scheduleIn(a, -1));
    // An event at the current tick with a lower priority value still runs next.
    int urgent = queue.newEvent(NO_OP, EventPriority.MINIMUM);
    queue.schedule(a, 50);
    queue.schedule(urgent, 50);
    assertEquals(List.of(urgent, a), drain());
  }

  @Test
  void schedulingAPendingEventThrowsButRescheduleMovesIt() {
    int a = queue.newEvent(NO_OP, 0);
    queue.schedule(a, 7);
    assertThrows(IllegalStateException.class, () -> queue.schedule(a, 8));
    queue.reschedule(a, 3);
    assertEquals(3, queue.when(a));
    assertEquals(1, queue.size());
  }

  @Test
  void cancelRemovesOnlyPendingEvents() {
    int a = queue.newEvent(NO_OP, 0);
    int b = queue.newEvent(NO_OP, 0);
    queue.schedule(a, 1_000_000);
    queue.schedule(b, 2_000_000);
    assertTrue(queue.cancel(a));
    assertFalse(queue.cancel(a));
    assertFalse(queue.isScheduled(a));
    assertThrows(IllegalStateException.class, () -> queue.when(a));
    assertEquals(List.of(b), drain());
  }

  @Test
  void popOnEmptyThrowsAndPollRespectsTheLimit() {
    assertThrows(NoSuchElementException.class, queue::pop);
    assertThrows(NoSuchElementException.class, queue::peekTick);
    int a = queue.newEvent(NO_OP, 0);
    queue.schedule(a, 300);
    assertEquals(EventQueue.NONE, queue.poll(299));
    assertEquals(0, queue.now());
    assertEquals(300, queue.peekTick());
    assertEquals(a, queue.poll(300));
    assertEquals(300, queue.now());
  }

  @Test
  void releasedHandlesAreRejectedThenRecycled() {
    int a = queue.newEvent(NO_OP, 0, 7);
    queue.schedule(a, 10);
    queue.release(a);
    assertTrue(queue.isEmpty());
    assertThrows(IllegalArgumentException.class, () -> queue.schedule(a, 20));
    assertThrows(IllegalArgumentException.class, () -> queue.payload(a));
    int b = queue.newEvent(NO_OP, 1, 9);
    assertEquals(a, b);
    assertEquals(9, queue.payload(b));
    assertEquals(1, queue.priority(b));
    assertThrows(IllegalArgumentException.class, () -> queue.cancel(12345));
  }

  @Test
  void priorityIsValidatedAndFixedWhilePending() {
    assertThrows(IllegalArgumentException.class, () -> queue.newEvent(NO_OP, 128));
    assertThrows(IllegalArgumentException.class, () -> queue.newEvent(NO_OP, -129));
    assertThrows(NullPointerException.class, () -> queue.newEvent(null, 0));
    int a = queue.newEvent(NO_OP, 0);
    queue.setPriority(a, EventPriority.WAKEUP);
    assertEquals(EventPriority.WAKEUP, queue.priority(a));
    queue.schedule(a, 1);
    assertThrows(IllegalStateException.class, () -> queue.setPriority(a, 0));
  }

  @Test
  void advanceToMovesTheClockButNotPastPendingEvents() {
    int a = queue.newEvent(NO_OP, 0);
    queue.schedule(a, 1_000);
    queue.advanceTo(1_000);
    assertEquals(1_000, queue.now());
    assertThrows(IllegalArgumentException.class, () -> queue.advanceTo(1_001));
    assertThrows(IllegalArgumentException.class, () -> queue.advanceTo(999));
    assertEquals(a, queue.pop());
    queue.advanceTo(5_000);
    queue.scheduleIn(a, 25);
    assertEquals(5_025, queue.when(a));
  }

  @Test
  void ticksAcrossTheWholeRangeAreOrdered() {
    long[] ticks = {Long.MAX_VALUE, 0, 1L << 62, 3, (1L << 62) + 1, Long.MAX_VALUE - 1, 1L << 40};
    List<Long> popped = new ArrayList<>();
    for (long tick : ticks) {
      queue.schedule(queue.newEvent(NO_OP, 0, tick), tick);
    }
    while (!queue.isEmpty()) {
      int event = queue.pop();
      assertEquals(queue.payload(event), queue.now());
      popped.add(queue.now());
    }
    assertEquals(List.of(0L, 3L, 1L << 40, 1L << 62, (1L << 62) + 1, Long.MAX_VALUE - 1,
        Long.MAX_VALUE), popped);
  }

  @Test
  void holdModelKeepsOrderOverManyRounds() {
    // 1,000 pending events, 200,000 hold steps: pop, then reschedule at now + 1..1000.
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    for (int i = 0; i < 1_000; i++) {
      queue.schedule(queue.newEvent(NO_OP, random.nextInt(3) - 1), 1 + random.nextInt(1_000));
    }
    long previousTick = 0;
    for (int step = 0; step < 200_000; step++) {
      int event = queue.pop();
      long tick = queue.now();
      assertTrue(tick >= previousTick, "time went backwards");
      previousTick = tick;
      queue.schedule(event, tick + 1 + random.nextInt(1_000));
    }
    assertEquals(1_000, queue.size());
    assertNotEquals(0, queue.now());
  }
}
