package org.vcpusim.cpu.exec;

/**
 * Turns a core's stream of retired instructions into cycles. A core calls {@link #retire} once per
 * instruction, in program order, after executing it; the model advances its own notion of time
 * (the cycle at which the instruction retires) and writes {@link ExecutionRecord#retireCycles} and
 * {@link ExecutionRecord#servedBy}.
 *
 * <p>Kernel work that the simulator does not run instruction by instruction (syscall entry, a
 * context switch, a WRMSR) is charged with {@link #chargeSerializing}: it drains the pipeline and
 * adds a fixed number of cycles.
 *
 * <p><b>Caveats:</b> one instance per core; not thread-safe.
 */
public interface TimingModel {
  /** Accounts one retired instruction. */
  void retire(ExecutionRecord record);

  /** Drains in-flight work and adds {@code cycles} of serialized, non-overlapped time. */
  void chargeSerializing(long cycles);

  /** The cycle at which the most recent instruction (or charge) retired. */
  long cycle();

  /** A model that charges nothing: functional execution only. */
  TimingModel NONE =
      new TimingModel() {
        @Override
        public void retire(ExecutionRecord record) {}

        @Override
        public void chargeSerializing(long cycles) {}

        @Override
        public long cycle() {
          return 0;
        }
      };
}
