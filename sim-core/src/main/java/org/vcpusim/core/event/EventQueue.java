package org.vcpusim.core.event;

import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * The pending-event set of a simulation: events ordered by (tick, priority, sequence), where the
 * sequence is the order in which events were scheduled, so events with equal tick and priority
 * run first-in first-out (the SST and ns-3 rule; gem5 is LIFO within a bin, reference/anchors.md
 * section 3.2).
 *
 * <h2>Events are handles</h2>
 *
 * An event is an {@code int} handle into primitive arrays, created once by its owner with
 * {@link #newEvent} (its handler, priority and payload) and then scheduled, cancelled and
 * rescheduled any number of times, as gem5 events are. Popping an event does not release it; the
 * owner releases it with {@link #release} when it will never be used again, and the handle is then
 * recycled. Scheduling, cancelling, rescheduling and popping allocate nothing (arrays grow by
 * doubling when more events are pending than ever before).
 *
 * <h2>Ordering rules</h2>
 *
 * <ul>
 *   <li>{@link #now()} is the tick of the last popped event (or the tick given to {@link
 *       #advanceTo}); scheduling before it throws, scheduling at it is allowed, and the new event
 *       is ordered by its priority and sequence among the events still pending at that tick;
 *   <li>every {@link #schedule} and {@link #reschedule} takes a fresh sequence number, so a
 *       rescheduled event runs after the events already pending at the same tick and priority;
 *   <li>a priority is fixed while the event is pending (change it with {@link #setPriority} when it
 *       is not).
 * </ul>
 *
 * <h2>Algorithm: a radix heap with 64-way digits and an ordered bin for the current tick</h2>
 *
 * Because no event is ever scheduled before {@code now}, the queue is monotone and a radix heap
 * applies (Ahuja, Mehlhorn, Orlin and Tarjan, "Faster algorithms for the shortest path problem",
 * JACM 37(2), 1990). This one uses base-64 digits, the layout of a hierarchical timing wheel
 * (Varghese and Lauck 1987; Caffeine's {@code TimerWheel}) but with exact ordering. A base tick
 * {@code b <= now} is kept. An event whose tick {@code t} equals {@code b} is in the <em>due
 * bin</em>, a binary heap on the packed key {@code (priority + 128) << 55 | sequence}, which gives
 * the (priority, sequence) order among events of one tick. Any other event is in slot {@code (L,
 * d)}: {@code L} is the highest 6-bit digit in which {@code t} differs from {@code b} and {@code
 * d} is that digit of {@code t}; a slot is an unordered array of (tick, handle). Every event in
 * a lower level, or in a lower slot of the same level, has a smaller tick, so the earliest event
 * is in the lowest occupied slot of the lowest occupied level, found with two trailing-zero counts
 * (a 64-bit occupancy mask per level, an 11-bit mask of occupied levels). When the due bin is
 * empty, pop makes that slot's minimum tick (kept per slot on insert, rescanned only after a cancel
 * removed it) the new base and moves the slot's events into the due bin or lower levels; events
 * elsewhere stay valid because the new base keeps the old one's digits from {@code L} up. A slot
 * of one event is popped directly. An event thus moves at most once per 6-bit digit of its
 * distance from {@code now}: at most twice below 4,096 ticks, five times for 1 ms ahead at
 * picosecond ticks, where a binary radix heap moves it about once per bit. A per-handle location
 * word ({@code slot id << 21 | index}) makes cancel O(1) in the slots (swap with the slot's last
 * event). Positions in the due bin are deliberately not tracked: with many events on one tick,
 * every heap step would otherwise write the location of a random handle; cancelling an event due
 * at the current tick therefore scans the bin, O(events at this tick).
 *
 * <p>Chosen by measurement in the hold model (pop the earliest event, schedule it again a random
 * increment later) against a 4-ary heap on primitive arrays with inline keys and per-handle
 * positions (the structure anchors.md section 3.3 recommends; {@code
 * benchmarks/.../QuaternaryHeapQueue}) and against the binary-digit radix heap (64 buckets, one
 * per bit) this class used first. Thread CPU time per operation, median of 11 x 2 M operations,
 * the structures alternating in one JVM (the method of {@code
 * benchmarks/.../QueueStructureComparison}; 2-vCPU AMD EPYC, OpenJDK 17.0.15, machine shared with
 * other jobs, where JMH's wall-clock scores swing by up to 2x between runs):
 *
 * <pre>
 * increments               pending   64-way radix   binary radix   4-ary heap
 * U[1,1000] ticks               16      37 ns          36 ns          31 ns
 *                            1,000      34 ns          47 ns          91 ns
 *                          100,000      55 ns          62 ns         176 ns
 * 80% +1..5 ns, 20% +1 ms       16      20 ns          18 ns          20 ns
 *                               64      25 ns          21 ns          30 ns
 *                              256      31 ns          30 ns          44 ns
 * </pre>
 *
 * The 64-way digits move events less (1.1 moves per operation at 1,000 pending with U[1,1000]
 * increments, against 4.2 with binary digits), which pays from about a thousand pending events
 * up; their two-level lookup costs about 2 ns more per operation on tiny, sparse queues, where the
 * binary version often pops a lone event directly. A 4-ary heap is fastest only for a tiny queue
 * with narrow increments.
 *
 * <p>A calendar or ladder queue was not built: its O(1) hold time depends on tuning its bucket
 * width to the increment distribution (Brown 1988; Tang, Goh and Thng 2005), while a radix heap
 * needs no tuning and its cost grows only with the number of digits of an event's distance.
 *
 * <p><b>Caveats</b>
 *
 * <ul>
 *   <li>Not thread-safe: one queue belongs to one simulation run and is used by one thread.
 *   <li>A released handle is recycled by a later {@link #newEvent}; using a handle after releasing
 *       it is detected only until it is recycled, after which it names the new event.
 *   <li>Cancelling or rescheduling an event due at the current tick costs O(events at this tick);
 *       {@link #peekTick()} may rescan one slot after a cancel.
 *   <li>At most 2^21 (2,097,152) live handles, and 2^55 schedule operations per queue.
 * </ul>
 */
public final class EventQueue {

  /** Returned by {@link #poll(long)} when no event is due. */
  public static final int NONE = -1;

  /** Largest number of live (created and not released) events. */
  public static final int MAX_EVENTS = 1 << 21;

  /** Location of a live event that is not pending. */
  private static final int IDLE = -1;
  /** Location of a released handle. */
  private static final int RELEASED = -2;
  /** Location of an event in the due bin, whose index there is not tracked. */
  private static final int DUE = Integer.MAX_VALUE;

  private static final int DIGIT_BITS = 6;
  private static final int SLOTS = 1 << DIGIT_BITS;
  private static final int SLOT_MASK = SLOTS - 1;
  /** Levels needed for a 63-bit non-negative tick: digits 0..10. */
  private static final int LEVELS = (63 + DIGIT_BITS - 1) / DIGIT_BITS;
  private static final int INDEX_BITS = 21;
  private static final int INDEX_MASK = (1 << INDEX_BITS) - 1;
  /** LEVEL_OF_BIT[i] = i / DIGIT_BITS, a table instead of a division on the insert path. */
  private static final byte[] LEVEL_OF_BIT = new byte[64];

  static {
    for (int i = 0; i < 64; i++) {
      LEVEL_OF_BIT[i] = (byte) (i / DIGIT_BITS);
    }
  }

  private static final int PRIORITY_SHIFT = 55;
  private static final long SEQUENCE_MASK = (1L << PRIORITY_SHIFT) - 1;
  private static final int INITIAL_SLOT_CAPACITY = 4;
  private static final int INITIAL_DUE_CAPACITY = 8;

  // Per handle. orderKeys[e] = (priority - MINIMUM) << PRIORITY_SHIFT | sequence of the last
  // schedule; the priority bits are kept while the event is idle. locations[e] is IDLE, RELEASED,
  // DUE, or slot id (level * SLOTS + digit) << INDEX_BITS | index in that slot.
  private EventHandler[] handlers;
  private long[] payloads;
  private long[] orderKeys;
  private int[] locations;
  private int handleCount;
  private int[] freeHandles;
  private int freeCount;

  // Slots, indexed by slot id = level * SLOTS + digit: unordered (tick, handle) pairs.
  private final long[][] slotTicks = new long[LEVELS * SLOTS][];
  private final int[][] slotHandles = new int[LEVELS * SLOTS][];
  private final int[] slotSizes = new int[LEVELS * SLOTS];
  /** Smallest tick appended to each slot since it was last empty (a lower bound after cancels). */
  private final long[] slotMins = new long[LEVELS * SLOTS];
  /** slotMasks[L] bit d is set iff slot (L, d) is non-empty. */
  private final long[] slotMasks = new long[LEVELS];
  /** inexactMins[L] bit d is set iff a cancel removed slot (L, d)'s minimum. */
  private final long[] inexactMins = new long[LEVELS];
  /** Bit L is set iff level L has a non-empty slot. */
  private int occupiedLevels;

  // The due bin: binary min-heap on orderKeys of the events whose tick == base.
  private long[] dueKeys;
  private int[] dueHandles;
  private int dueCount;

  /** Radix base: every pending tick is >= base, and base <= now. */
  private long base;
  private long now;
  private long nextSequence;
  private int size;

  /** An empty queue at tick 0. */
  public EventQueue() {
    this(64);
  }

  /** An empty queue at tick 0, sized for {@code expectedEvents} live events. */
  public EventQueue(int expectedEvents) {
    if (expectedEvents < 1 || expectedEvents > MAX_EVENTS) {
      throw new IllegalArgumentException("expectedEvents must be in [1, " + MAX_EVENTS + "]: "
          + expectedEvents);
    }
    handlers = new EventHandler[expectedEvents];
    payloads = new long[expectedEvents];
    orderKeys = new long[expectedEvents];
    locations = new int[expectedEvents];
    freeHandles = new int[16];
    Arrays.fill(slotMins, Long.MAX_VALUE);
    dueKeys = new long[INITIAL_DUE_CAPACITY];
    dueHandles = new int[INITIAL_DUE_CAPACITY];
  }

  // Event lifecycle

  /** Creates an idle event with payload 0; see {@link #newEvent(EventHandler, int, long)}. */
  public int newEvent(EventHandler handler, int priority) {
    return newEvent(handler, priority, 0L);
  }

  /**
   * Creates an idle (not pending) event and returns its handle.
   *
   * @param handler called each time the event fires
   * @param priority order among events of the same tick, lower first; see {@link EventPriority}
   * @param payload a value handed to the handler, e.g. a CPU or task number
   */
  public int newEvent(EventHandler handler, int priority, long payload) {
    if (handler == null) {
      throw new NullPointerException("handler");
    }
    checkPriority(priority);
    int event;
    if (freeCount > 0) {
      event = freeHandles[--freeCount];
    } else {
      if (handleCount == MAX_EVENTS) {
        throw new IllegalStateException("more than " + MAX_EVENTS + " live events");
      }
      event = handleCount++;
      if (event == handlers.length) {
        growHandles();
      }
    }
    handlers[event] = handler;
    payloads[event] = payload;
    orderKeys[event] = priorityBits(priority);
    locations[event] = IDLE;
    return event;
  }

  /**
   * Releases an event: cancels it if it is pending and makes its handle available for reuse.
   *
   * @throws IllegalArgumentException if {@code event} is not a live handle
   */
  public void release(int event) {
    int location = liveLocation(event);
    if (location >= 0) {
      unlink(event, location);
      size--;
    }
    locations[event] = RELEASED;
    handlers[event] = null;
    if (freeCount == freeHandles.length) {
      freeHandles = Arrays.copyOf(freeHandles, freeCount * 2);
    }
    freeHandles[freeCount++] = event;
  }

  // ---------------------------------------------------------------------------------------------
  // Scheduling

  /**
   * Makes an idle event pending at {@code tick}.
   *
   * @throws IllegalStateException if the event is already pending
   * @throws IllegalArgumentException if {@code tick < now()} or the handle is not live
   */
  public void schedule(int event, long tick) {
    int location = liveLocation(event);
    if (location != IDLE) {
      throw new IllegalStateException("event " + event + " is already scheduled at tick "
          + tickAt(location) + "; use reschedule");
    }
    checkNotPast(tick);
    insert(event, tick);
  }

  /** {@link #schedule(int, long)} at {@code now() + delay}. */
  public void scheduleIn(int event, long delay) {
    if (delay < 0) {
      throw new IllegalArgumentException("delay must be >= 0: " + delay);
    }
    schedule(event, Math.addExact(now, delay));
  }

  /**
   * Makes an event pending at {@code tick}, whether or not it is pending now. It takes a fresh
   * sequence number, so it runs after the events already pending at the same tick and priority.
   *
   * @throws IllegalArgumentException if {@code tick < now()} or the handle is not live
   */
  public void reschedule(int event, long tick) {
    int location = liveLocation(event);
    checkNotPast(tick);
    if (location >= 0) {
      unlink(event, location);
      size--;
    }
    insert(event, tick);
  }

  /**
   * Removes a pending event from the queue; the event stays live and can be scheduled again.
   *
   * @return whether the event was pending
   * @throws IllegalArgumentException if the handle is not live
   */
  public boolean cancel(int event) {
    int location = liveLocation(event);
    if (location < 0) {
      return false;
    }
    unlink(event, location);
    size--;
    locations[event] = IDLE;
    return true;
  }

  /**
   * Sets the clock forward to {@code tick} without running anything.
   *
   * @throws IllegalArgumentException if {@code tick < now()} or a pending event is earlier than
   *     {@code tick}
   */
  public void advanceTo(long tick) {
    checkNotPast(tick);
    if (size > 0 && tick > peekTick()) {
      throw new IllegalArgumentException("cannot advance to " + tick
          + " past the pending event at " + peekTick());
    }
    now = tick;
  }

  // ---------------------------------------------------------------------------------------------
  // Removal in order

  /**
   * Removes the earliest event, sets {@link #now()} to its tick and returns its handle. The event
   * stays live (idle) and can be scheduled again.
   *
   * @throws NoSuchElementException if the queue is empty
   */
  public int pop() {
    int event = poll(Long.MAX_VALUE);
    if (event == NONE) {
      throw new NoSuchElementException("no pending events");
    }
    return event;
  }

  /**
   * Removes the earliest event if its tick is at most {@code lastTick}, as {@link #pop()} does;
   * otherwise returns {@link #NONE} and leaves the queue's contents and clock unchanged.
   */
  public int poll(long lastTick) {
    if (dueCount == 0) {
      if (size == 0) {
        return NONE;
      }
      int level = Integer.numberOfTrailingZeros(occupiedLevels);
      int slot = Long.numberOfTrailingZeros(slotMasks[level]);
      int id = level * SLOTS + slot;
      long earliest = minTick(id);
      if (earliest > lastTick) {
        return NONE;
      }
      if (slotSizes[id] == 1) {
        return popSingleton(level, slot, earliest);
      }
      redistribute(level, slot, earliest);
    } else if (base > lastTick) {
      return NONE;
    }
    int event = dueHandles[0];
    removeDueAt(0);
    locations[event] = IDLE;
    size--;
    now = base;
    return event;
  }

  // ---------------------------------------------------------------------------------------------
  // Queries

  /** The current tick: that of the last popped event, or the last {@link #advanceTo}. */
  public long now() {
    return now;
  }

  /** Number of pending events. */
  public int size() {
    return size;
  }

  /** Whether no event is pending. */
  public boolean isEmpty() {
    return size == 0;
  }

  /**
   * The tick of the earliest pending event.
   *
   * @throws NoSuchElementException if the queue is empty
   */
  public long peekTick() {
    if (dueCount > 0) {
      return base;
    }
    if (size == 0) {
      throw new NoSuchElementException("no pending events");
    }
    int level = Integer.numberOfTrailingZeros(occupiedLevels);
    return minTick(level * SLOTS + Long.numberOfTrailingZeros(slotMasks[level]));
  }

  /** Whether a live event is pending. */
  public boolean isScheduled(int event) {
    return liveLocation(event) >= 0;
  }

  /**
   * The tick a pending event is scheduled for.
   *
   * @throws IllegalStateException if the event is not pending
   */
  public long when(int event) {
    int location = liveLocation(event);
    if (location < 0) {
      throw new IllegalStateException("event " + event + " is not scheduled");
    }
    return tickAt(location);
  }

  /** The priority of a live event. */
  public int priority(int event) {
    liveLocation(event);
    return (int) (orderKeys[event] >>> PRIORITY_SHIFT) + EventPriority.MINIMUM;
  }

  /**
   * Changes the priority of an idle event.
   *
   * @throws IllegalStateException if the event is pending
   */
  public void setPriority(int event, int priority) {
    if (liveLocation(event) >= 0) {
      throw new IllegalStateException("cannot change the priority of pending event " + event);
    }
    checkPriority(priority);
    orderKeys[event] = priorityBits(priority);
  }

  /** The payload of a live event. */
  public long payload(int event) {
    liveLocation(event);
    return payloads[event];
  }

  /** Replaces the payload of a live event, pending or not. */
  public void setPayload(int event, long payload) {
    liveLocation(event);
    payloads[event] = payload;
  }

  /** The handler of a live event. */
  public EventHandler handler(int event) {
    liveLocation(event);
    return handlers[event];
  }

  // Unchecked accessors for the run loop, which only passes handles it has just popped.

  EventHandler handlerOfPopped(int event) {
    return handlers[event];
  }

  long payloadOfPopped(int event) {
    return payloads[event];
  }

  // ---------------------------------------------------------------------------------------------
  // Radix heap internals

  private void insert(int event, long tick) {
    long sequence = nextSequence;
    if (sequence > SEQUENCE_MASK) {
      throw new IllegalStateException("sequence numbers exhausted");
    }
    nextSequence = sequence + 1;
    long key = (orderKeys[event] & ~SEQUENCE_MASK) | sequence;
    orderKeys[event] = key;
    if (size == 0) {
      base = now;
    }
    size++;
    if (tick == base) {
      pushDue(event, key);
    } else {
      place(event, tick, base);
    }
  }

  /** Appends an event with {@code tick > base} to its slot relative to {@code base}. */
  private void place(int event, long tick, long base) {
    int level = LEVEL_OF_BIT[63 - Long.numberOfLeadingZeros(tick ^ base)];
    int digit = (int) (tick >>> (level * DIGIT_BITS)) & SLOT_MASK;
    int id = level * SLOTS + digit;
    int n = slotSizes[id];
    long[] ticks = slotTicks[id];
    if (ticks == null || n == ticks.length) {
      ticks = growSlot(id, n);
    }
    ticks[n] = tick;
    slotHandles[id][n] = event;
    slotSizes[id] = n + 1;
    locations[event] = (id << INDEX_BITS) | n;
    if (tick < slotMins[id]) {
      slotMins[id] = tick;
    }
    if (n == 0) {
      slotMasks[level] |= 1L << digit;
      occupiedLevels |= 1 << level;
    }
  }

  /** The smallest tick in a non-empty slot: tracked on append, rescanned only after a cancel. */
  private long minTick(int id) {
    int level = id >>> DIGIT_BITS;
    long bit = 1L << (id & SLOT_MASK);
    if ((inexactMins[level] & bit) == 0) {
      return slotMins[id];
    }
    long[] ticks = slotTicks[id];
    int n = slotSizes[id];
    long min = ticks[0];
    for (int i = 1; i < n; i++) {
      long t = ticks[i];
      if (t < min) {
        min = t;
      }
    }
    slotMins[id] = min;
    inexactMins[level] &= ~bit;
    return min;
  }

  /** Marks slot (level, digit) empty. */
  private void clearSlot(int level, int digit, int id) {
    slotSizes[id] = 0;
    slotMins[id] = Long.MAX_VALUE;
    long bit = 1L << digit;
    inexactMins[level] &= ~bit;
    long mask = slotMasks[level] & ~bit;
    slotMasks[level] = mask;
    if (mask == 0) {
      occupiedLevels &= ~(1 << level);
    }
  }

  /**
   * Pops the only event of the lowest occupied slot while the due bin is empty: it is the unique
   * earliest event, and making its tick the base keeps every other event in a valid slot (the new
   * base keeps the old base's digits from {@code level} up).
   */
  private int popSingleton(int level, int digit, long tick) {
    int id = level * SLOTS + digit;
    int event = slotHandles[id][0];
    clearSlot(level, digit, id);
    base = tick;
    locations[event] = IDLE;
    size--;
    now = tick;
    return event;
  }

  /**
   * Makes {@code newBase} (the minimum of slot (level, digit)) the base and moves every event of
   * the slot: those at {@code newBase} into the due bin, the others into lower levels (they agree
   * with {@code newBase} on every digit from {@code level} up).
   */
  private void redistribute(int level, int digit, long newBase) {
    base = newBase;
    int id = level * SLOTS + digit;
    long[] ticks = slotTicks[id];
    int[] handles = slotHandles[id];
    int n = slotSizes[id];
    clearSlot(level, digit, id);
    for (int i = 0; i < n; i++) {
      long t = ticks[i];
      int event = handles[i];
      if (t == newBase) {
        pushDue(event, orderKeys[event]);
      } else {
        place(event, t, newBase);
      }
    }
  }

  private void unlink(int event, int location) {
    if (location == DUE) {
      removeDueAt(dueIndexOf(event));
      return;
    }
    int id = location >>> INDEX_BITS;
    int index = location & INDEX_MASK;
    int level = id >>> DIGIT_BITS;
    int digit = id & SLOT_MASK;
    int last = slotSizes[id] - 1;
    if (last == 0) {
      clearSlot(level, digit, id);
      return;
    }
    slotSizes[id] = last;
    long[] ticks = slotTicks[id];
    if (ticks[index] == slotMins[id]) {
      inexactMins[level] |= 1L << digit;
    }
    if (index != last) {
      int[] handles = slotHandles[id];
      int moved = handles[last];
      ticks[index] = ticks[last];
      handles[index] = moved;
      locations[moved] = location;
    }
  }

  private long tickAt(int location) {
    return location == DUE
        ? base : slotTicks[location >>> INDEX_BITS][location & INDEX_MASK];
  }

  private int dueIndexOf(int event) {
    int[] handles = dueHandles;
    for (int i = 0; ; i++) {
      if (handles[i] == event) {
        return i;
      }
    }
  }

  private void pushDue(int event, long key) {
    int i = dueCount++;
    if (i == dueKeys.length) {
      dueKeys = Arrays.copyOf(dueKeys, i * 2);
      dueHandles = Arrays.copyOf(dueHandles, i * 2);
    }
    i = siftUpDue(i, key);
    dueKeys[i] = key;
    dueHandles[i] = event;
    locations[event] = DUE;
  }

  /**
   * Moves the parents of heap index {@code i} of the due heap down while their keys are not below
   * {@code key}; returns where an element of {@code key} belongs (its slot is left to the caller).
   */
  private int siftUpDue(int i, long key) {
    long[] keys = dueKeys;
    int[] handles = dueHandles;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      long parentKey = keys[parent];
      if (parentKey < key) {
        break;
      }
      keys[i] = parentKey;
      handles[i] = handles[parent];
      i = parent;
    }
    return i;
  }

  /** Removes the element at heap index {@code i} of the due bin. */
  private void removeDueAt(int i) {
    int last = --dueCount;
    if (i == last) {
      return;
    }
    long[] keys = dueKeys;
    int[] handles = dueHandles;
    long key = keys[last];
    int event = handles[last];
    // Sift up (possible when removing from the middle), otherwise down.
    if (i > 0 && keys[(i - 1) >>> 1] > key) {
      i = siftUpDue(i, key);
    } else {
      int half = last >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        long childKey = keys[child];
        int right = child + 1;
        if (right < last && keys[right] < childKey) {
          child = right;
          childKey = keys[right];
        }
        if (key < childKey) {
          break;
        }
        keys[i] = childKey;
        handles[i] = handles[child];
        i = child;
      }
    }
    keys[i] = key;
    handles[i] = event;
  }

  // ---------------------------------------------------------------------------------------------
  // Storage and checks

  private long[] growSlot(int id, int n) {
    int capacity = n == 0 ? INITIAL_SLOT_CAPACITY : n * 2;
    long[] ticks = slotTicks[id] == null
        ? new long[capacity] : Arrays.copyOf(slotTicks[id], capacity);
    slotTicks[id] = ticks;
    slotHandles[id] = slotHandles[id] == null
        ? new int[capacity] : Arrays.copyOf(slotHandles[id], capacity);
    return ticks;
  }

  private void growHandles() {
    int capacity = (int) Math.min((long) handlers.length * 2, MAX_EVENTS);
    handlers = Arrays.copyOf(handlers, capacity);
    payloads = Arrays.copyOf(payloads, capacity);
    orderKeys = Arrays.copyOf(orderKeys, capacity);
    locations = Arrays.copyOf(locations, capacity);
  }

  private int liveLocation(int event) {
    if (event < 0 || event >= handleCount) {
      throw new IllegalArgumentException("not an event handle: " + event);
    }
    int location = locations[event];
    if (location == RELEASED) {
      throw new IllegalArgumentException("event " + event + " has been released");
    }
    return location;
  }

  private void checkNotPast(long tick) {
    if (tick < now) {
      throw new IllegalArgumentException("cannot schedule at tick " + tick
          + ", before the current tick " + now);
    }
  }

  private static void checkPriority(int priority) {
    if (!EventPriority.isValid(priority)) {
      throw new IllegalArgumentException("priority must be in [" + EventPriority.MINIMUM + ", "
          + EventPriority.MAXIMUM + "]: " + priority);
    }
  }

  private static long priorityBits(int priority) {
    return (long) (priority - EventPriority.MINIMUM) << PRIORITY_SHIFT;
  }
}
