package dev.tally.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tally version}: as {@code ipfs version}. */
@Command(name = "version", description = "Show Tally version information.")
final class VersionCommand implements Runnable {
  @Option(names = "--number", description = "Only show the version number.")
  boolean number;

  @Option(names = "--all", description = "Show all version information.")
  boolean all;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    var out = spec.commandLine().getOut();
    if (number) {
      out.println(TallyVersion.version());
      return;
    }
    out.println("tally version " + TallyVersion.version());
    if (all) {
      out.println("Repo Version: " + dev.tally.storage.repo.RepoConfig.CURRENT_VERSION);
      out.println(
          "System version: "
              + System.getProperty("os.arch")
              + "/"
              + System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT));
      out.println("Java version: " + Runtime.version());
    }
  }
}
