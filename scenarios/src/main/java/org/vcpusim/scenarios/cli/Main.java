package org.vcpusim.scenarios.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vcpusim} command line: the front door users and tests rely on (DESIGN.md, "Command line").
 *
 * <p>Exit codes: {@link ExitCodes}. Subcommands are added as their issues land; a command that is not
 * built yet is absent from {@code --help}, never faked.
 */
@Command(
    name = "vcpusim",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Discrete-event simulator of the PT_SET_GS_MODE per-vCPU GS base ABI,",
      "rseq and the mm_cid concurrency-id allocators."
    },
    subcommands = {RunCommand.class, CompareCommand.class, ListCommand.class, AsmCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Builds the command line with the project's exit-code and error conventions. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExitCodeExceptionMapper(ExitCodes::forException);
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("vcpusim: " + ex.getMessage());
          c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
          return ExitCodes.BAD_INPUT;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          if (ExitCodes.forException(ex) == ExitCodes.BAD_INPUT) {
            c.getErr().println("vcpusim: " + ex.getMessage());
            return ExitCodes.BAD_INPUT;
          }
          c.getErr().println("vcpusim: internal error: " + ex);
          ex.printStackTrace(c.getErr());
          return ExitCodes.INTERNAL_ERROR;
        });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
