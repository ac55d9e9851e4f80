package dev.tally.cli;

import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tally init}: creates a repository. */
@Command(name = "init", description = "Initialize a Tally repository.")
final class InitCommand implements Runnable {
  @Mixin RepoOption repo;

  @Option(
      names = "--profile",
      paramLabel = "PROFILE",
      description =
          "Default import profile: unixfs-v0-2015 (Kubo's CIDs, default) or unixfs-v1-2025.")
  String profile = RepoConfig.DEFAULT_PROFILE;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    try (Repo r = Repo.init(repo.path(), new RepoConfig(RepoConfig.CURRENT_VERSION, profile))) {
      var out = spec.commandLine().getOut();
      out.println("generating ED25519 keypair...done");
      out.println("peer identity: " + r.peerId());
      out.println("initialized tally repo at " + r.dir());
    }
  }
}
