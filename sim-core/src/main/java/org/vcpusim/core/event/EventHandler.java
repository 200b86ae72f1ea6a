package org.vcpusim.core.event;

/**
 * The action of an event. A handler is attached once, when the event is created with
 * {@link EventQueue#newEvent}, and is called each time that event comes due; one handler may serve
 * many events and tell them apart by handle or payload.
 */
@FunctionalInterface
public interface EventHandler {

  /**
   * Performs the event's action.
   *
   * @param tick the current simulated time, equal to the tick the event was scheduled for
   * @param event the handle of the event that fired; it is no longer pending, so the handler may
   *     schedule it again
   * @param payload the event's payload (see {@link EventQueue#payload(int)})
   */
  void fire(long tick, int event, long payload);
}
