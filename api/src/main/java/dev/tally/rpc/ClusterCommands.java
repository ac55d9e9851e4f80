package dev.tally.rpc;

import dev.tally.cluster.Cluster;
import dev.tally.cluster.Member;
import dev.tally.cluster.PeerStatus;
import dev.tally.cluster.PinRecord;
import dev.tally.cluster.SettingsRecord;
import dev.tally.crypto.PeerId;
import dev.tally.crypto.PeerIdFormatException;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.CidFormatException;
import dev.tally.node.ClusterMembership;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/v0/cluster/*}: create, join, admit, leave and list members; add, remove and list
 * cluster pins; per-peer status and recover. Every command runs on a worker (the cluster log and
 * the repo block).
 */
final class ClusterCommands {
  /** Replication factors of a pin added without options. */
  static final int DEFAULT_MIN = 2;

  static final int DEFAULT_MAX = 3;

  private ClusterCommands() {}

  static void register(Map<String, RpcCommand> commands, ClusterMembership membership) {
    commands.put("cluster/create", c -> run(c, () -> create(c, membership)));
    commands.put("cluster/join", c -> run(c, () -> join(c, membership)));
    commands.put("cluster/admit", c -> run(c, () -> admit(c, membership.require())));
    commands.put("cluster/peers", c -> run(c, () -> peers(membership.require())));
    commands.put("cluster/remove", c -> run(c, () -> remove(c, membership.require())));
    commands.put("cluster/leave", c -> run(c, () -> leave(membership)));
    commands.put("cluster/pin/add", c -> run(c, () -> pinAdd(c, membership.require())));
    commands.put("cluster/pin/rm", c -> run(c, () -> pinRm(c, membership.require())));
    commands.put("cluster/pin/ls", c -> run(c, () -> pinLs(membership.require())));
    commands.put("cluster/status", c -> run(c, () -> status(c, membership.require(), false)));
    commands.put("cluster/recover", c -> run(c, () -> status(c, membership.require(), true)));
    commands.put("cluster/info", c -> run(c, () -> state(membership.require())));
    commands.put("cluster/checkpoint", c -> run(c, () -> checkpoint(membership.require())));
  }

  /**
   * Where this member's pinset comes from: the log it folded, the checkpoint snapshot it loaded
   * when it joined (ADR 027), the latest final checkpoint, and how many records it folded.
   */
  private static JsonObject state(Cluster c) {
    long now = System.currentTimeMillis();
    JsonObject out =
        info(c)
            .put("Pins", c.pinset().pins(now).size())
            .put("Members", c.pinset().members().size())
            .put("LogEntries", c.log().size())
            .put("Folded", c.pinset().applied());
    c.loadedFrom().ifPresent(cp -> out.put("LoadedFrom", checkpointJson(cp)));
    c.log().checkpoints().latestFinal().ifPresent(cp -> out.put("Final", checkpointJson(cp)));
    return out;
  }

  private static JsonObject checkpointJson(dev.tally.log.Checkpoint cp) {
    JsonObject o =
        new JsonObject()
            .put("Cid", cp.cid().toString())
            .put("Count", cp.count())
            .put("Status", cp.status().name().toLowerCase(java.util.Locale.ROOT));
    cp.stateRoot().ifPresent(r -> o.put("StateRoot", r.toString()));
    return o;
  }

  /** Proposes a checkpoint of the cluster log now (by a signer: the cluster's creator). */
  private static JsonObject checkpoint(Cluster c) {
    dev.tally.log.Entry e = c.checkpoint();
    return checkpointJson(c.log().checkpoints().get(e.cid()).orElseThrow());
  }

  private static void run(RpcCall call, Callable<JsonObject> work) {
    call.blocking(work).onSuccess(call::json).onFailure(call::fail);
  }

  private static JsonObject info(Cluster c) {
    return new JsonObject().put("Id", c.id().toString()).put("Name", c.name());
  }

  private static JsonObject create(RpcCall call, ClusterMembership m) {
    SettingsRecord defaults = SettingsRecord.DEFAULTS;
    Duration heartbeat = duration(call, "heartbeat-interval", defaults.heartbeat());
    Duration downAfter = duration(call, "down-after", defaults.downAfter());
    return info(m.create(call.arg("name"), new SettingsRecord(heartbeat, downAfter)));
  }

  /**
   * A duration option as Go writes them ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h30m}), at
   * most {@link #MAX_DURATION}.
   */
  static Duration duration(RpcCall call, String name, Duration fallback) {
    Optional<String> text = call.option(name);
    if (text.isEmpty()) {
      return fallback;
    }
    String t = text.get().trim();
    Matcher m = DURATION.matcher(t);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < t.length() && m.find(at) && m.start() == at) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
              });
      at = m.end();
    }
    if (t.isEmpty() || at != t.length()) {
      throw RpcException.badRequest(
          "option \""
              + name
              + "\": expected a duration like 500ms, 30s, 2m, 1h or 1h30m, got \""
              + text.get()
              + "\"");
    }
    if (total.compareTo(MAX_DURATION) > 0) {
      throw RpcException.badRequest(
          "option \"" + name + "\": at most " + MAX_DURATION.toHours() + "h, got " + text.get());
    }
    return total;
  }

  /** The longest duration an option takes: 100 years. */
  static final Duration MAX_DURATION = Duration.ofDays(36_525);

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private static JsonObject join(RpcCall call, ClusterMembership m) {
    return info(m.join(cid(call.arg("cluster-id"))));
  }

  private static JsonObject remove(RpcCall call, Cluster c) {
    PeerId peer = peer(call.arg("peer-id"));
    return new JsonObject()
        .put("Peer", peer.toString())
        .put("Entry", c.remove(peer).cid().toString());
  }

  private static JsonObject leave(ClusterMembership m) {
    JsonObject out = info(m.require());
    m.leave();
    return out;
  }

  private static JsonObject admit(RpcCall call, Cluster c) {
    PeerId peer = peer(call.arg("peer-id"));
    return new JsonObject()
        .put("Peer", peer.toString())
        .put("Entry", c.admit(peer).cid().toString());
  }

  private static PeerId peer(String text) {
    try {
      return PeerId.parse(text);
    } catch (PeerIdFormatException e) {
      throw RpcException.badRequest("invalid peer id \"" + text + "\": " + e.getMessage());
    }
  }

  private static JsonObject peers(Cluster c) {
    JsonArray peers = new JsonArray();
    for (Member m : c.members()) {
      JsonObject p =
          new JsonObject()
              .put("Peer", m.peer().toString())
              .put("Self", m.peer().equals(c.self()))
              .put("Live", m.live())
              .put("Free", m.free())
              .put("Allocated", m.allocated())
              .put("AuditFailures", m.auditFailures())
              .put("StruckOut", m.struckOut());
      m.lastHeartbeat().ifPresent(t -> p.put("LastHeartbeat", t));
      peers.add(p);
    }
    return info(c).put("Peers", peers);
  }

  private static JsonObject pinAdd(RpcCall call, Cluster c) {
    Cid cid = cid(call.arg("cid"));
    int min = call.intOption("replication-min", DEFAULT_MIN);
    int max = call.intOption("replication-max", Math.max(min, DEFAULT_MAX));
    String name = call.option("name", "");
    Optional<Long> expires =
        call.option("expire-in").isEmpty()
            ? Optional.empty()
            : Optional.of(
                System.currentTimeMillis() + duration(call, "expire-in", Duration.ZERO).toMillis());
    PinRecord pin = new PinRecord(cid, name, min, max, expires, metadata(call));
    String entry = c.pin(pin).cid().toString();
    return pinJson(c, pin).put("Entry", entry);
  }

  /** The repeatable {@code metadata=KEY=VALUE} option as a map; a key given twice is refused. */
  static TreeMap<String, String> metadata(RpcCall call) {
    TreeMap<String, String> meta = new TreeMap<>();
    for (String kv : call.options("metadata")) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw RpcException.badRequest(
            "option \"metadata\": expected KEY=VALUE with a non-empty key, got \"" + kv + "\"");
      }
      String key = kv.substring(0, eq);
      if (meta.put(key, kv.substring(eq + 1)) != null) {
        throw RpcException.badRequest("option \"metadata\": key \"" + key + "\" given twice");
      }
    }
    return meta;
  }

  private static JsonObject pinJson(Cluster c, PinRecord p) {
    JsonArray allocations = new JsonArray();
    c.allocation(p.cid()).forEach(peer -> allocations.add(peer.toString()));
    JsonObject meta = new JsonObject();
    p.meta().forEach(meta::put);
    JsonObject out =
        new JsonObject()
            .put("Cid", p.cid().toString())
            .put("Name", p.name())
            .put("ReplicationMin", p.min())
            .put("ReplicationMax", p.max())
            .put("Metadata", meta)
            .put("Allocations", allocations);
    p.expires().ifPresent(e -> out.put("Expires", java.time.Instant.ofEpochMilli(e).toString()));
    return out;
  }

  private static JsonObject pinRm(RpcCall call, Cluster c) {
    Cid cid = cid(call.arg("cid"));
    c.unpin(cid);
    return new JsonObject().put("Cid", cid.toString());
  }

  private static JsonObject pinLs(Cluster c) {
    JsonArray pins = new JsonArray();
    for (PinRecord p : c.pinset().pins(System.currentTimeMillis()).values()) {
      pins.add(pinJson(c, p));
    }
    return new JsonObject().put("Pins", pins);
  }

  private static JsonObject status(RpcCall call, Cluster c, boolean recover) {
    Cid cid = cid(call.arg("cid"));
    if (recover) {
      c.status(cid); // refuses a CID the cluster does not pin
      c.recover(cid);
    }
    JsonArray peers = new JsonArray();
    List<PeerStatus> status = c.status(cid);
    for (PeerStatus s : status) {
      JsonObject p =
          new JsonObject().put("Peer", s.peer().toString()).put("Status", s.state().toString());
      if (!s.error().isEmpty()) {
        p.put("Error", s.error());
      }
      peers.add(p);
    }
    return new JsonObject().put("Cid", cid.toString()).put("Peers", peers);
  }

  private static Cid cid(String text) {
    try {
      return Cid.parse(text);
    } catch (CidFormatException e) {
      throw RpcException.badRequest("invalid CID \"" + text + "\": " + e.getMessage());
    }
  }
}
