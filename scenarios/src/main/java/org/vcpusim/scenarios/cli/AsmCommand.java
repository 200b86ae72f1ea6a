package org.vcpusim.scenarios.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vcpusim.cpu.asm.AsmException;
import org.vcpusim.scenarios.asm.DumpRequest;
import org.vcpusim.scenarios.asm.ProcessImage;
import org.vcpusim.scenarios.asm.RoutineInputException;
import org.vcpusim.scenarios.asm.RoutineOptions;
import org.vcpusim.scenarios.asm.RoutineReport;
import org.vcpusim.scenarios.asm.RoutineReportFormat;
import org.vcpusim.scenarios.asm.RoutineResult;
import org.vcpusim.scenarios.asm.RoutineRunner;
import org.vcpusim.scenarios.asm.RoutineStopped;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vcpusim asm}: runs one routine of an assembly file in a glibc-like one-thread process and
 * prints what it cost. It parses and prints only; {@link RoutineRunner} defines the process and
 * every figure, {@link RoutineReportFormat} the output.
 *
 * <p>Exit codes ({@link ExitCodes}): 0 every call returned; 1 the routine stopped the run (a
 * syscall, a fault, a clobbered callee-saved register of the driver, no return), with the reason
 * on stderr and, with {@code --json}, as a JSON object on stdout; 2 bad input (an assembly error
 * as {@code file:line:col: error: ...}, a missing file, an unknown entry, profile or dump symbol, a
 * malformed option).
 */
@Command(
    name = "asm",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs routine LABEL of FILE (GNU as, AT&T syntax) in a one-thread process set up as glibc "
          + "sets one up (TLS at the FS base, struct rseq at FS base + __rseq_offset = "
          + ProcessImage.RSEQ_OFFSET
          + ", "
          + "registered with signature 0x53053053, cpu_id_start = cpu_id = mm_cid = 0) and calls "
          + "it N times with call/ret on one simulated core of profile P.",
      "",
      "Prints per instruction: count, mean retire cycles, loads, stores, branches and the cache "
          + "levels that served it; per call: instructions, loads, stores, branches, cycles "
          + "(throughput, the call loop included) and the latency of one isolated call, cold and "
          + "warm. There is no kernel: a syscall stops the run (exit 1), as does a fault.",
      ""
    })
final class AsmCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The assembly source file.")
  Path file;

  @Option(names = "--entry", required = true, paramLabel = "LABEL",
      description = "The routine to call; it must return with ret and preserve rbx, r12, rsp.")
  String entry;

  @Option(names = "--iterations", paramLabel = "N", defaultValue = "1000",
      description = "Calls whose effects the process keeps and that are measured "
          + "(default: ${DEFAULT-VALUE}, at least 1).")
  long iterations;

  @Option(names = "--profile", paramLabel = "P", defaultValue = RoutineOptions.DEFAULT_PROFILE,
      description = "CPU profile (default: ${DEFAULT-VALUE}).")
  String profile;

  @Option(names = "--dump", paramLabel = "SYMBOL:BYTES",
      description = "Print BYTES bytes at SYMBOL (or an address) after the run; repeatable.")
  List<String> dumps = new ArrayList<>();

  @Option(names = "--gs-base", paramLabel = "SYMBOL|ADDRESS",
      description = "GS base before the first call (default 0).")
  String gsBase;

  @Option(names = "--max-instructions", paramLabel = "N", defaultValue = "2000000000",
      description = "Give up (exit 1) after N instructions in all (default: ${DEFAULT-VALUE}).")
  long maxInstructions;

  @Option(names = "--json", description = "Print one JSON object instead of the table.")
  boolean json;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(file)) {
      throw new UserInputException(file + ": no such file");
    }
    RoutineResult result;
    try {
      List<DumpRequest> requests = new ArrayList<>();
      for (String d : dumps) {
        requests.add(DumpRequest.parse(d));
      }
      RoutineOptions options = new RoutineOptions(entry, iterations, profile, requests, gsBase,
          maxInstructions);
      result = RoutineRunner.runFile(file, options);
    } catch (AsmException | RoutineInputException e) {
      throw new UserInputException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UserInputException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (result instanceof RoutineStopped) {
      RoutineStopped s = (RoutineStopped) result;
      spec.commandLine().getErr().println("vcpusim asm: " + s.message());
      if (json) {
        spec.commandLine().getOut().println(RoutineReportFormat.json(s));
      }
      spec.commandLine().getErr().flush();
      spec.commandLine().getOut().flush();
      return ExitCodes.CHECK_FAILED;
    }
    RoutineReport report = (RoutineReport) result;
    if (json) {
      spec.commandLine().getOut().println(RoutineReportFormat.json(report));
    } else {
      spec.commandLine().getOut().print(RoutineReportFormat.text(report));
    }
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
