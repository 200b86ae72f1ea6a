package org.vcpusim.core.event;

/**
 * The executive of one simulation run: a clock, the {@link EventQueue} of pending events and the
 * loop that pops the earliest event, advances the clock to its tick and calls its handler.
 *
 * <p>Three ways to run, all of which can be repeated to continue a run:
 *
 * <ul>
 *   <li>{@link #run()} until no event is left;
 *   <li>{@link #runUntil(long)} every event with tick &lt;= a limit, then sets the clock to the
 *       limit (events scheduled for the limit tick itself do run);
 *   <li>{@link #runEvents(long)} at most a given number of events.
 * </ul>
 *
 * {@link #stop()} ends the loop after the event that is running, before the next one (the SSJ
 * {@code Simulator.stop} contract); a later run continues from there. An exception thrown by a
 * handler propagates out of the loop; the event that threw counts as executed and the queue stays
 * consistent, so the run may continue.
 *
 * <p><b>Caveats</b>: not thread-safe, one thread per run (runs are independent, so many can go in
 * parallel with one {@code Simulation} each). A handler must not start a nested run loop.
 */
public final class Simulation {

  private final EventQueue events;
  private long eventsExecuted;
  private boolean stopRequested;
  private boolean running;

  /** A simulation at tick 0 with no events. */
  public Simulation() {
    this(new EventQueue());
  }

  /** A simulation whose pending events are {@code events} (normally a new, empty queue). */
  public Simulation(EventQueue events) {
    if (events == null) {
      throw new NullPointerException("events");
    }
    this.events = events;
  }

  /** The pending-event set: create, schedule, cancel and reschedule events through it. */
  public EventQueue events() {
    return events;
  }

  /** The current simulated time in ticks (picoseconds). */
  public long now() {
    return events.now();
  }

  /** Number of events executed by all run loops so far. */
  public long eventsExecuted() {
    return eventsExecuted;
  }

  /**
   * Asks the run loop to return {@link StopReason#STOPPED} before it starts its next event. When
   * called while no loop runs, the next loop returns at once. The request is consumed when a loop
   * returns {@code STOPPED}.
   */
  public void stop() {
    stopRequested = true;
  }

  /** Whether a {@link #stop()} request is waiting to be honoured. */
  public boolean isStopRequested() {
    return stopRequested;
  }

  /** Runs until no event is left or {@link #stop()} is called. */
  public StopReason run() {
    return loop(Long.MAX_VALUE, Long.MAX_VALUE);
  }

  /**
   * Runs every event whose tick is at most {@code lastTick}, then sets the clock to {@code
   * lastTick} and returns {@link StopReason#TICK_LIMIT}; returns {@link StopReason#STOPPED} with
   * the clock at the last executed event if {@link #stop()} is called first.
   *
   * @throws IllegalArgumentException if {@code lastTick < now()}
   */
  public StopReason runUntil(long lastTick) {
    if (lastTick < now()) {
      throw new IllegalArgumentException("lastTick " + lastTick + " is before now " + now());
    }
    StopReason reason = loop(lastTick, Long.MAX_VALUE);
    if (reason == StopReason.STOPPED) {
      return reason;
    }
    events.advanceTo(lastTick);
    return StopReason.TICK_LIMIT;
  }

  /**
   * Runs at most {@code maxEvents} events: returns {@link StopReason#EVENT_LIMIT} when that many
   * ran, or earlier with {@link StopReason#QUEUE_EMPTY} or {@link StopReason#STOPPED}.
   */
  public StopReason runEvents(long maxEvents) {
    if (maxEvents < 0) {
      throw new IllegalArgumentException("maxEvents must be >= 0: " + maxEvents);
    }
    return loop(Long.MAX_VALUE, maxEvents);
  }

  private StopReason loop(long lastTick, long maxEvents) {
    if (running) {
      throw new IllegalStateException("a run loop is already active (called from a handler?)");
    }
    running = true;
    try {
      EventQueue queue = events;
      for (long executed = 0; ; executed++) {
        if (stopRequested) {
          stopRequested = false;
          return StopReason.STOPPED;
        }
        if (executed == maxEvents) {
          return StopReason.EVENT_LIMIT;
        }
        int event = queue.poll(lastTick);
        if (event == EventQueue.NONE) {
          return queue.isEmpty() ? StopReason.QUEUE_EMPTY : StopReason.TICK_LIMIT;
        }
        eventsExecuted++;
        queue.handlerOfPopped(event).fire(queue.now(), event, queue.payloadOfPopped(event));
      }
    } finally {
      running = false;
    }
  }
}
