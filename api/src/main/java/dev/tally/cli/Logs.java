package dev.tally.cli;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.log.store.HeadsFiles;
import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;
import java.util.List;

/** The logs this node holds, offline on the repo: manifests in the blockstore, heads in files. */
final class Logs {
  private Logs() {}

  static HeadsFiles headsFiles(Repo repo) {
    return HeadsFiles.ofRepo(repo.dir());
  }

  static Cid parseId(String logId) {
    return Cid.parse(logId);
  }

  static List<Cid> savedHeads(Repo repo, Cid id) {
    return headsFiles(repo)
        .heads(id)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "this node does not hold log " + id + " (create it with 'tally log create')"));
  }

  static LogManifest manifest(Repo repo, Cid id) {
    return LogManifest.fromBlock(Blocks.require(repo, id));
  }

  static Log open(Repo repo, String logId) {
    Cid id = parseId(logId);
    List<Cid> heads = savedHeads(repo, id);
    return Log.open(manifest(repo, id), repo.blocks(), heads);
  }

  /** The SQL index of log entries (the daemon keeps it in step; {@code reindex} rebuilds it). */
  static java.nio.file.Path indexFile(Repo repo) {
    return repo.dir().resolve(dev.tally.daemon.Daemon.LOG_INDEX);
  }

  /** The node's identity key, which signs what this node appends. */
  static Ed25519PrivateKey nodeKey(Repo repo) {
    return (Ed25519PrivateKey) repo.identity();
  }

  /**
   * Appends a DAG-JSON record through a running daemon's {@code command} ({@code log/append},
   * {@code lending/append}) and returns the new entry's CID as the daemon printed it.
   */
  static String appendThroughDaemon(ApiClient daemon, String command, String logId, byte[] json)
      throws java.io.IOException {
    try (var body =
        daemon.upload(
            command,
            List.of(java.util.Map.entry("arg", logId)),
            "record",
            new java.io.ByteArrayInputStream(json))) {
      return new io.vertx.core.json.JsonObject(
              new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .getString("Cid");
    }
  }
}
