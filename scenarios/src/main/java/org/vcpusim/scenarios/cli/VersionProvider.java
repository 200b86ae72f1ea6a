package org.vcpusim.scenarios.cli;

import picocli.CommandLine;

/** The version printed by {@code --version}: the jar's implementation version, or "dev". */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"vcpusim " + (v == null ? "dev" : v)};
  }
}
