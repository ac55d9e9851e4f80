package dev.tally.rpc;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.crypto.PeerId;
import dev.tally.log.Checkpoint;
import dev.tally.log.CheckpointBundle;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.multiformats.Cid;
import dev.tally.node.NodeLogs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;

/**
 * {@code log/checkpoint} (propose one at the heads, or {@code endorse=CID} one) and {@code
 * log/checkpoints} (every checkpoint with its signers and status), signed with the node's key (ADR
 * 018).
 */
final class CheckpointCommands {
  private CheckpointCommands() {}

  static void register(Map<String, RpcCommand> commands, NodeLogs logs) {
    commands.put("log/checkpoint", call -> checkpoint(call, logs));
    commands.put("log/checkpoints", call -> list(call, logs));
    commands.put("log/checkpoint-bundle", call -> bundle(call, logs));
  }

  /** Most bytes of a checkpoint bundle a join reads (about 100 million covered entries). */
  static final int MAX_BUNDLE = 1 << 30;

  /** Most covered entries a joined bundle may list. */
  static final long MAX_COVERED = 100_000_000L;

  /** The CAR a new replica starts from: the latest final checkpoint, or {@code checkpoint=CID}. */
  private static void bundle(RpcCall call, NodeLogs logs) {
    Cid id = BlockCommands.cid(call.arg("log"));
    Optional<Cid> which = call.option("checkpoint").map(c -> option("checkpoint", c));
    call.blocking(
            () -> {
              Log log = logs.replicas().require(id);
              Cid cp =
                  which.orElseGet(
                      () ->
                          log.checkpoints()
                              .latestFinal()
                              .orElseThrow(
                                  () ->
                                      RpcException.failed(
                                          "log " + id + " has no final checkpoint yet"))
                              .cid());
              java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
              CheckpointBundle.write(log, cp, out);
              return io.vertx.core.buffer.Buffer.buffer(out.toByteArray());
            })
        .onSuccess(
            car ->
                call.response()
                    .putHeader("Content-Type", "application/vnd.ipld.car; version=1")
                    .end(car))
        .onFailure(call::fail);
  }

  private static void checkpoint(RpcCall call, NodeLogs logs) {
    Cid id = BlockCommands.cid(call.arg("log"));
    Optional<Cid> endorse = call.option("endorse").map(c -> option("endorse", c));
    Optional<Cid> state = call.option("state").map(c -> option("state", c));
    if (endorse.isPresent() && state.isPresent()) {
      throw RpcException.badRequest(
          "\"state\" is for proposing; an endorser's application recomputes the state root");
    }
    call.blocking(
            () -> {
              Log log = logs.replicas().require(id);
              Entry e =
                  endorse.isPresent()
                      ? log.checkpoints().endorse(endorse.get(), logs.key())
                      : state.isPresent()
                          ? log.checkpoints().propose(logs.key(), log.heads(), state)
                          : log.checkpoints().propose(logs.key());
              logs.replicas().save(log);
              Cid cp = endorse.orElse(e.cid());
              return json(log.checkpoints().get(cp).orElseThrow()).put("Entry", e.cid().toString());
            })
        .onSuccess(call::json)
        .onFailure(call::fail);
  }

  private static Cid option(String name, String value) {
    try {
      return Cid.parse(value);
    } catch (RuntimeException e) {
      throw RpcException.badRequest("option \"" + name + "\": invalid CID: " + e.getMessage());
    }
  }

  private static void list(RpcCall call, NodeLogs logs) {
    Cid id = BlockCommands.cid(call.arg("log"));
    call.blocking(
            () -> {
              Log log = logs.replicas().require(id);
              JsonArray all = new JsonArray();
              log.checkpoints().all().forEach(c -> all.add(json(c)));
              JsonObject out = new JsonObject().put("Checkpoints", all);
              log.checkpoints().latestFinal().ifPresent(f -> out.put("Final", f.cid().toString()));
              return out;
            })
        .onSuccess(call::json)
        .onFailure(call::fail);
  }

  /**
   * One checkpoint as {@code log/checkpoints}, {@code log/checkpoint} and {@code verify} show it.
   */
  static JsonObject json(Checkpoint c) {
    JsonArray heads = new JsonArray();
    c.heads().forEach(h -> heads.add(h.toString()));
    JsonArray signers = new JsonArray();
    c.signers().forEach(s -> signers.add(peer(s)));
    JsonObject o =
        new JsonObject()
            .put("Cid", c.cid().toString())
            .put("Status", c.status().name().toLowerCase())
            .put("Author", peer(c.author()))
            .put("Time", c.time())
            .put("Count", c.count())
            .put("Heads", heads)
            .put("Index", c.index().toString())
            .put("Signers", signers)
            .put("Quorum", c.quorum());
    c.stateRoot().ifPresent(s -> o.put("State", s.toString()));
    return o;
  }

  private static String peer(Ed25519PublicKey k) {
    return PeerId.fromPublicKey(k).toString();
  }
}
