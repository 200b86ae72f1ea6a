package org.vcpusim.scenarios.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.cpu.profile.CpuProfiles;
import org.vcpusim.kernel.cid.CidAllocators;
import org.vcpusim.scenarios.scenario.Abi;
import org.vcpusim.scenarios.scenario.Scenario;
import org.vcpusim.scenarios.scenario.ScenarioLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vcpusim list scenarios|profiles|allocators|variants}: what is bundled. Scenarios are the
 * files of the bundled library, {@code scenarios/library/} under the project root ({@code
 * ./vcpusim} passes the root as system property {@value #HOME_PROPERTY}; without it the current
 * directory is taken as the root), each with its description and the path to give {@code run}.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Lists what is bundled: scenarios, profiles, allocators or variants.")
final class ListCommand implements Callable<Integer> {
  /** The system property naming the project root. */
  static final String HOME_PROPERTY = "vcpusim.home";
  /** The bundled library, relative to the project root. */
  static final String LIBRARY = "scenarios/library";

  /** What can be listed. */
  enum What { scenarios, profiles, allocators, variants }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "WHAT",
      description = "One of: ${COMPLETION-CANDIDATES}.")
  What what;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    switch (what) {
      case scenarios -> listScenarios(out);
      case profiles -> {
        for (String name : CpuProfiles.names()) {
          CpuProfile p = CpuProfiles.load(name);
          out.println(String.format(Locale.ROOT, "%-10s %.2f GHz  %s", name, p.frequencyGhz(),
              p.description()));
        }
      }
      case allocators -> CidAllocators.names().forEach(out::println);
      case variants -> {
        for (Abi abi : Abi.values()) {
          out.println(abi.spelling());
        }
      }
      default -> throw new IllegalStateException(what.name());
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static void listScenarios(PrintWriter out) throws IOException {
    Path root = Path.of(System.getProperty(HOME_PROPERTY, "."));
    Path dir = root.resolve(LIBRARY);
    if (!Files.isDirectory(dir)) {
      throw new UserInputException(dir + ": the bundled scenario library is not there (run "
          + "./vcpusim from the project, or set -D" + HOME_PROPERTY + "=<project root>)");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted()
          .collect(Collectors.toList());
    }
    for (Path f : files) {
      Scenario sc = ScenarioLoader.load(f);
      out.println(String.format(Locale.ROOT, "%-28s %s", sc.name(), f));
      if (!sc.description().isEmpty()) {
        out.println("    " + sc.description());
      }
    }
  }
}
