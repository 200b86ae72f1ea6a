package org.vcpusim.core.trace;

/** The {@link TraceSink#NONE} implementation. */
enum DiscardingTraceSink implements TraceSink {
  INSTANCE;

  @Override
  public boolean isEnabled() {
    return false;
  }

  @Override
  public void slice(String track, String name, long startTick, long endTick, TraceArgs args) {}

  @Override
  public void instant(String track, String name, long tick, TraceArgs args) {}

  @Override
  public void counter(String track, String name, long tick, double value) {}

  @Override
  public String toString() {
    return "TraceSink.NONE";
  }
}
