package dev.tally.cli;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally block stat CID}: prints the key and size, as Kubo does. */
@Command(name = "stat", description = "Print information of a raw IPFS block.")
final class BlockStatCommand implements Runnable {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "CID", description = "The CID of an existing block.")
  String cid;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    Cid key = Cid.parse(cid);
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      io.vertx.core.json.JsonObject stat;
      try {
        stat = daemon.get().json("block/stat", Params.of().add("arg", key));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      spec.commandLine().getOut().println("Key: " + stat.getString("Key"));
      spec.commandLine().getOut().println("Size: " + stat.getLong("Size"));
      return;
    }
    try (Repo r = repo.open()) {
      Block block = Blocks.require(r, key);
      spec.commandLine().getOut().println("Key: " + key);
      spec.commandLine().getOut().println("Size: " + block.size());
    }
  }
}
