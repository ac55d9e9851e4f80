package dev.tally.rpc;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.crypto.PeerId;
import dev.tally.ipld.DagJson;
import dev.tally.ipld.IpldNode;
import dev.tally.log.CheckpointBundle;
import dev.tally.log.Entry;
import dev.tally.log.FinalCheckpoint;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.log.VerifyReport;
import dev.tally.log.sync.SyncProgress;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.node.Network;
import dev.tally.node.NodeLogs;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code log/*}: the node's replicated logs. Reads answer from the replica; {@code create}, {@code
 * join} and {@code append} change it and the node's replication picks the change up. {@code
 * subscribe} streams each new verified entry as an ndjson line (or a server-sent event with {@code
 * format=sse}) until the client goes away.
 */
final class LogCommands {
  /** Subscribers that fall this far behind are cut off rather than buffered without bound. */
  private static final int MAX_QUEUED_BYTES = 8 << 20;

  private LogCommands() {}

  static void register(Map<String, RpcCommand> commands, NodeLogs logs, Optional<Network> network) {
    commands.put("log/create", call -> create(call, logs));
    commands.put("log/join", call -> join(call, logs, network));
    commands.put("log/append", call -> append(call, logs));
    commands.put("log/heads", call -> heads(call, logs));
    commands.put("log/ls", call -> ls(call, logs));
    commands.put("log/status", call -> status(call, logs));
    commands.put("log/verify", call -> verify(call, logs));
    commands.put("log/subscribe", call -> subscribe(call, logs));
    CheckpointCommands.register(commands, logs);
  }

  private static Cid logId(RpcCall call) {
    return BlockCommands.cid(call.arg("log"));
  }

  private static void create(RpcCall call, NodeLogs logs) {
    String name = call.arg("name");
    // Further args name more writers by peer id; this node is always a writer and the admin.
    long schema = call.longOption("schema", 1);
    long quorum = call.longOption("quorum", 0);
    List<Ed25519PublicKey> writers = new ArrayList<>();
    for (String w : call.args().subList(1, call.args().size())) {
      writers.add(ed25519(w));
    }
    call.blocking(
            () -> {
              Ed25519PublicKey self = logs.key().publicKey();
              writers.add(self);
              LogManifest m =
                  LogManifest.create(
                      name,
                      schema,
                      writers,
                      System.currentTimeMillis(),
                      List.of(self),
                      quorum > 0
                          ? java.util.OptionalInt.of((int) Math.min(quorum, Integer.MAX_VALUE))
                          : java.util.OptionalInt.empty());
              Log log = logs.replicas().create(m);
              logs.index().follow(log);
              logs.sync().track(log, logs.replicas()::save);
              return new JsonObject().put("Log", log.id().toString()).put("Name", name);
            })
        .onSuccess(call::json)
        .onFailure(call::fail);
  }

  static Ed25519PublicKey ed25519(String peerId) {
    try {
      return PeerId.parse(peerId)
          .publicKey()
          .filter(Ed25519PublicKey.class::isInstance)
          .map(Ed25519PublicKey.class::cast)
          .orElseThrow();
    } catch (RuntimeException e) {
      throw RpcException.badRequest(
          "writer "
              + peerId
              + " is not an Ed25519 peer id (12D3KooW...); log writers sign with Ed25519");
    }
  }

  private static void join(RpcCall call, NodeLogs logs, Optional<Network> network) {
    Cid id = logId(call);
    Optional<String> peer = call.option("peer");
    // An optional uploaded checkpoint bundle: the replica starts from that final checkpoint.
    Optional<dev.tally.http.MultipartReader> upload =
        call.hasMultipart() ? Optional.of(call.multipart("checkpoint")) : Optional.empty();
    Future<Void> dialled = Future.succeededFuture();
    if (peer.isPresent()) {
      Network n =
          network.orElseThrow(
              () -> RpcException.failed("--peer needs the node's network (online daemon)"));
      Multiaddr address;
      try {
        address = Multiaddr.parse(peer.get());
      } catch (RuntimeException e) {
        throw RpcException.badRequest("option \"peer\": invalid multiaddr: " + e.getMessage());
      }
      dialled = n.host().dial(address).mapEmpty();
    }
    dialled
        .compose(
            v ->
                call.blocking(
                    () -> {
                      Optional<FinalCheckpoint> start = Optional.empty();
                      if (upload.isPresent()) {
                        byte[] car =
                            Bodies.files(
                                    upload.get(),
                                    CheckpointCommands.MAX_BUNDLE,
                                    "checkpoint",
                                    "checkpoint bundle")
                                .get(0);
                        start =
                            Optional.of(
                                CheckpointBundle.read(
                                    new java.io.ByteArrayInputStream(car),
                                    id,
                                    CheckpointCommands.MAX_COVERED));
                        call.node().blocks().put(start.get().manifest().block());
                      }
                      // The manifest comes from peers over Bitswap when this node lacks it.
                      LogManifest m =
                          LogManifest.fromBlock(
                              call.node()
                                  .blocks()
                                  .get(id)
                                  .orElseThrow(
                                      () ->
                                          RpcException.failed(
                                              "no peer sent the manifest of log " + id)));
                      boolean held = logs.sync().tracked().contains(id);
                      Log log = logs.replicas().join(m);
                      if (start.isPresent() && log.size() == 0) {
                        log.vouch(start.get());
                      }
                      if (!held) {
                        logs.index().follow(log);
                        logs.sync().track(log, logs.replicas()::save);
                      }
                      JsonObject out =
                          new JsonObject()
                              .put("Log", id.toString())
                              .put("Name", m.name())
                              .put("Count", log.size());
                      log.startedFrom().ifPresent(f -> out.put("Checkpoint", startJson(f)));
                      return out;
                    }))
        .onSuccess(call::json)
        .onFailure(call::fail);
  }

  private static void append(RpcCall call, NodeLogs logs) {
    Cid id = logId(call);
    var upload = call.multipart("record");
    call.blocking(
            () -> {
              List<byte[]> files = Bodies.files(upload, Entry.MAX_SIZE * 4, "record", "");
              if (files.size() != 1) {
                throw RpcException.badRequest("log/append takes exactly one record (DAG-JSON)");
              }
              IpldNode record = DagJson.decode(files.get(0));
              Entry e = logs.replicas().require(id).append(record, logs.key());
              logs.replicas().save(logs.replicas().require(id));
              return new JsonObject().put("Cid", e.cid().toString()).put("Time", e.time());
            })
        .onSuccess(call::json)
        .onFailure(call::fail);
  }

  private static void heads(RpcCall call, NodeLogs logs) {
    Cid id = logId(call);
    call.blocking(() -> new JsonObject().put("Heads", cids(logs.replicas().require(id).heads())))
        .onSuccess(call::json)
        .onFailure(call::fail);
  }

  private static JsonArray cids(List<Cid> cids) {
    JsonArray out = new JsonArray();
    cids.forEach(c -> out.add(c.toString()));
    return out;
  }

  /** One entry as the ndjson line {@code ls} and {@code subscribe} print. */
  static JsonObject line(Entry e) {
    return new JsonObject()
        .put("Cid", e.cid().toString())
        .put("Time", e.time())
        .put("Author", PeerId.fromPublicKey(Ed25519PublicKey.of(e.author())).toString())
        .put(
            "Record",
            new JsonObject(new String(DagJson.encode(e.record()), StandardCharsets.UTF_8)));
  }

  private static void ls(RpcCall call, NodeLogs logs) {
    Cid id = logId(call);
    call.blocking(
            () -> {
              StringBuilder out = new StringBuilder();
              logs.replicas()
                  .require(id)
                  .entries()
                  .forEach(e -> out.append(line(e).encode()).append('\n'));
              return out.toString();
            })
        .onSuccess(body -> call.response().putHeader("Content-Type", "application/json").end(body))
        .onFailure(call::fail);
  }

  private static void status(RpcCall call, NodeLogs logs) {
    Cid id = logId(call);
    call.blocking(
            () -> {
              Log log = logs.replicas().require(id);
              SyncProgress p =
                  logs.sync()
                      .progress(id)
                      .orElse(new SyncProgress(log.size(), 0, 0, 0, 0, false, 0));
              JsonObject out =
                  new JsonObject()
                      .put("Log", id.toString())
                      .put("Name", log.manifest().name())
                      .put("Heads", cids(log.heads()))
                      .put("Count", log.size())
                      .put("Fetched", p.fetched())
                      .put("Verified", p.verified())
                      .put("Rejected", p.rejected())
                      .put("Remaining", p.remaining())
                      .put("Syncing", p.syncing())
                      .put("Peers", p.peers());
              log.startedFrom().ifPresent(f -> out.put("Checkpoint", startJson(f)));
              log.checkpoints().latestFinal().ifPresent(f -> out.put("Final", f.cid().toString()));
              return out;
            })
        .onSuccess(call::json)
        .onFailure(call::fail);
  }

  /**
   * The final checkpoint a replica started from, answered before its history arrives: what it
   * covers, and the application state root it carries.
   */
  private static JsonObject startJson(FinalCheckpoint f) {
    JsonObject o = CheckpointCommands.json(f.checkpoint());
    List<Cid> covered = f.covered();
    o.put("Newest", covered.isEmpty() ? null : covered.get(covered.size() - 1).toString());
    return o;
  }

  private static void verify(RpcCall call, NodeLogs logs) {
    Cid id = logId(call);
    call.blocking(
            () -> {
              Log log = logs.replicas().require(id);
              VerifyReport r = log.verify();
              JsonArray faults = new JsonArray();
              r.rejected().forEach(e -> faults.add(e.getMessage()));
              r.missing().forEach(c -> faults.add("entry " + c + " is missing from the store"));
              List<String> checkpointFaults = r.ok() ? log.checkpoints().verify() : List.of();
              checkpointFaults.forEach(faults::add);
              JsonObject out =
                  new JsonObject()
                      .put("Count", r.count())
                      .put("Heads", cids(r.heads()))
                      .put("Ok", r.ok() && checkpointFaults.isEmpty())
                      .put("Faults", faults);
              log.checkpoints()
                  .latestFinal()
                  .ifPresent(f -> out.put("Final", CheckpointCommands.json(f)));
              return out;
            })
        .onSuccess(call::json)
        .onFailure(call::fail);
  }

  private static void subscribe(RpcCall call, NodeLogs logs) {
    Cid id = logId(call);
    boolean sse = call.option("format", "ndjson").equals("sse");
    call.blocking(() -> logs.replicas().require(id))
        .onSuccess(
            log -> {
              HttpServerResponse response = call.response();
              response
                  .setChunked(true)
                  .putHeader("Content-Type", sse ? "text/event-stream" : "application/json")
                  .putHeader("X-Chunked-Output", "1")
                  .putHeader("Cache-Control", "no-cache");
              response.write("");
              LogSubscriber sub =
                  new LogSubscriber(call.context(), response, sse, MAX_QUEUED_BYTES);
              sub.cancel(log.subscribe(sub::accept));
              response.closeHandler(v -> sub.close());
            })
        .onFailure(call::fail);
  }
}
