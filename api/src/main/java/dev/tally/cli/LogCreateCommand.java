package dev.tally.cli;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.crypto.PeerId;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.storage.repo.Repo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally log create NAME [--writer PEER_ID]...}: prints the new log's id. */
@Command(name = "create", description = "Create a log; prints its id (the manifest CID).")
final class LogCreateCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "NAME", description = "The log's name.")
  String name;

  @Option(
      names = "--writer",
      paramLabel = "PEER_ID",
      description = "Another writer, by its Ed25519 peer id (repeatable; this node always writes).")
  List<String> writers = List.of();

  @Option(names = "--schema", paramLabel = "N", description = "Record schema version (default 1).")
  long schema = 1;

  @Option(
      names = "--quorum",
      paramLabel = "N",
      description = "Writers that must sign a checkpoint for it to be final (default: a majority).")
  int quorum;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws java.io.IOException {
    List<Ed25519PublicKey> keys = new ArrayList<>();
    for (String w : writers) {
      keys.add(ed25519(w));
    }
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      List<java.util.Map.Entry<String, String>> params = new ArrayList<>();
      params.add(java.util.Map.entry("arg", name));
      writers.forEach(w -> params.add(java.util.Map.entry("arg", w)));
      params.add(java.util.Map.entry("schema", Long.toString(schema)));
      if (quorum > 0) {
        params.add(java.util.Map.entry("quorum", Integer.toString(quorum)));
      }
      spec.commandLine().getOut().println(daemon.get().json("log/create", params).getString("Log"));
      return 0;
    }
    try (Repo r = repo.openOrInit()) {
      Ed25519PublicKey self = Logs.nodeKey(r).publicKey();
      keys.add(self);
      // This node is the log's admin: it alone may admit and remove writers later.
      LogManifest m =
          LogManifest.create(
              name,
              schema,
              keys,
              System.currentTimeMillis(),
              List.of(self),
              quorum > 0 ? java.util.OptionalInt.of(quorum) : java.util.OptionalInt.empty());
      Log log = Log.create(m, r.blocks());
      Logs.headsFiles(r).save(log.id(), log.heads());
      spec.commandLine().getOut().println(log.id());
    }
    return 0;
  }

  private static Ed25519PublicKey ed25519(String peerId) {
    return PeerId.parse(peerId)
        .publicKey()
        .filter(Ed25519PublicKey.class::isInstance)
        .map(Ed25519PublicKey.class::cast)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "writer "
                        + peerId
                        + " is not an Ed25519 peer id (12D3KooW...); log writers sign with"
                        + " Ed25519"));
  }
}
