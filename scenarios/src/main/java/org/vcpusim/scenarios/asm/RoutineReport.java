package org.vcpusim.scenarios.asm;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vcpusim.cpu.exec.MemoryLevel;
import org.vcpusim.cpu.isa.SourceLocation;

/**
 * The result of a {@link RoutineRunner} run in which every call returned. What each figure
 * measures, and over which calls, is defined in {@link RoutineRunner}; per-iteration figures are
 * over the measured run of {@link #iterations} calls, and count the file's instructions only
 * (the driver's three, {@code call *%rbx; decq %r12; jnz}, are in {@link #driver}).
 *
 * @param file the source file's name
 * @param entry the entry symbol
 * @param entryAddress its address
 * @param profile the CPU profile's name
 * @param iterations calls in the measured run (the {@code --iterations} asked)
 * @param warmupIterations calls in the warm-up run before it
 * @param cyclesPerIteration cycles of the measured run per call, the driver's loop included
 * @param routineCyclesPerIteration the retire cycles of the file's instructions per call
 * @param latency cold and warm latency of one call
 * @param instructionsPerIteration the file's instructions retired per call
 * @param loadsPerIteration their loads per call
 * @param storesPerIteration their stores per call
 * @param branches their branches per call
 * @param driver the driver loop's share per call
 * @param perInstruction one entry per instruction of the file that executed in the measured run,
 *     in address order
 * @param dumps the requested memory after the run, in request order, by location as written
 * @param registers the general-purpose registers, RFLAGS and the FS and GS bases after the last
 *     call, in register-number order
 * @param process where the image put the thread's blocks
 */
public record RoutineReport(
    String file,
    String entry,
    long entryAddress,
    String profile,
    long iterations,
    long warmupIterations,
    double cyclesPerIteration,
    double routineCyclesPerIteration,
    Latency latency,
    double instructionsPerIteration,
    double loadsPerIteration,
    double storesPerIteration,
    Branches branches,
    Driver driver,
    List<InstructionStats> perInstruction,
    Map<String, Dump> dumps,
    Map<String, Long> registers,
    Process process)
    implements RoutineResult {

  public RoutineReport {
    perInstruction = List.copyOf(perInstruction);
    dumps = Collections.unmodifiableMap(new LinkedHashMap<>(dumps));
    registers = Collections.unmodifiableMap(new LinkedHashMap<>(registers));
  }

  /**
   * Latency of one isolated call, in cycles: from the cycle at which the pipeline was drained
   * before the driver's {@code call} to the retirement of the routine's {@code ret}.
   *
   * @param cold the first call of a fresh machine (empty caches, untrained predictors)
   * @param warm a call after the warm-up run
   */
  public record Latency(long cold, long warm) {}

  /**
   * Branches of the file's instructions per call.
   *
   * @param all conditional and unconditional (jmp, call, ret)
   * @param taken those taken (unconditional ones always are)
   * @param conditional the conditional ones
   * @param mispredicted direction or target mispredictions
   */
  public record Branches(double all, double taken, double conditional, double mispredicted) {}

  /**
   * The driver loop's share per call.
   *
   * @param instructionsPerIteration its instructions (3)
   * @param cyclesPerIteration its instructions' retire cycles
   */
  public record Driver(double instructionsPerIteration, double cyclesPerIteration) {}

  /**
   * Where the process image put the thread (see {@link ProcessImage}).
   *
   * @param fsBase the thread pointer
   * @param gsBase the GS base
   * @param rseqArea the rseq area (FS base + {@code __rseq_offset})
   * @param rseqOffset the value of {@code __rseq_offset}
   * @param stackTop RSP at each call
   */
  public record Process(long fsBase, long gsBase, long rseqArea, long rseqOffset, long stackTop) {}

  /**
   * One instruction's measured executions.
   *
   * @param address where it is
   * @param source where it was written
   * @param text the instruction as the assembler normalized it
   * @param count executions in the measured run
   * @param meanCycles mean retire cycles (cycles between the previous retirement and its own)
   * @param loads its loads in all
   * @param stores its stores in all
   * @param taken times a branch was taken (0 for non-branches)
   * @param mispredicted mispredictions charged to it
   * @param servedBy executions by the farthest memory level that served one of its accesses
   *     (instructions without memory access have an empty map)
   */
  public record InstructionStats(long address, SourceLocation source, String text, long count,
      double meanCycles, long loads, long stores, long taken, long mispredicted,
      Map<MemoryLevel, Long> servedBy) {
    public InstructionStats {
      servedBy = servedBy.isEmpty()
          ? Map.of()
          : Collections.unmodifiableMap(new EnumMap<>(servedBy));
    }
  }

  /**
   * Memory printed after the run.
   *
   * @param location the symbol or address as written in the request
   * @param address the first byte's address
   * @param bytes the contents in memory order
   */
  public record Dump(String location, long address, byte[] bytes) {
    public Dump {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    /** The bytes as lower-case hexadecimal, two digits per byte, in memory order. */
    public String hex() {
      StringBuilder sb = new StringBuilder(bytes.length * 2);
      for (byte b : bytes) {
        sb.append(Character.forDigit((b >>> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return sb.toString();
    }
  }
}
