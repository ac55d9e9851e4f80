package dev.tally.rpc;

import dev.tally.crypto.PeerId;
import dev.tally.exchange.PeerLedger;
import dev.tally.exchange.message.WantEntry;
import dev.tally.exchange.routing.ConnectedPeersRouting;
import dev.tally.exchange.routing.ContentRouting;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.multiformats.MultiaddrException;
import dev.tally.multiformats.MultiaddrProtocol;
import dev.tally.net.Connection;
import dev.tally.net.Direction;
import dev.tally.net.PeerInfo;
import dev.tally.node.ListenAddresses;
import dev.tally.node.Network;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The commands of an online node, answered as Kubo answers them: {@code id} (with the host's real
 * addresses and protocols), {@code swarm peers|connect|disconnect|addrs/listen}, {@code ping} and
 * {@code bitswap stat|wantlist|ledger} and {@code routing findprovs|provide} (over the connected
 * peers).
 */
final class NetworkCommands {
  /** Kubo's default {@code ping} count. */
  private static final int DEFAULT_PINGS = 10;

  private static final int MAX_PINGS = 1000;

  private NetworkCommands() {}

  static void register(Map<String, RpcCommand> commands, Network network) {
    commands.put("id", call -> id(call, network));
    commands.put("swarm/peers", call -> peers(call, network));
    commands.put("swarm/connect", call -> connect(call, network));
    commands.put("swarm/disconnect", call -> disconnect(call, network));
    commands.put("swarm/addrs", call -> knownAddresses(call, network));
    commands.put("swarm/addrs/listen", call -> listenAddresses(call, network));
    commands.put("ping", call -> ping(call, network));
    commands.put("bitswap/stat", call -> bitswapStat(call, network));
    commands.put("bitswap/wantlist", call -> wantlist(call, network));
    commands.put("bitswap/ledger", call -> ledger(call, network));
    commands.put("routing/findprovs", call -> findProviders(call, network));
    commands.put("routing/provide", call -> provide(call, network));
  }

  private static void id(RpcCall call, Network network) {
    PeerId self = network.host().peerId();
    PeerId asked = call.args().isEmpty() ? self : peerId(call.args().get(0));
    JsonArray addresses = new JsonArray();
    JsonArray protocols = new JsonArray();
    JsonObject out = new JsonObject().put("ID", asked.toString());
    if (asked.equals(self)) {
      for (Multiaddr a : ListenAddresses.dialable(network.host().listenAddresses())) {
        addresses.add(a + "/p2p/" + self);
      }
      network.host().protocols().stream().sorted().forEach(protocols::add);
      out.put("PublicKey", Base64.getEncoder().encodeToString(network.host().publicKey().marshal()))
          .put("Addresses", addresses)
          .put("AgentVersion", call.node().agentVersion())
          .put("Protocols", protocols);
    } else {
      PeerInfo info =
          network
              .host()
              .peerStore()
              .get(asked)
              .orElseThrow(
                  () -> RpcException.failed("peer " + asked + " is not known: connect it"));
      for (Multiaddr a : info.addresses()) {
        addresses.add(a + "/p2p/" + asked);
      }
      info.protocols().stream().sorted().forEach(protocols::add);
      out.put(
              "PublicKey",
              info.publicKey().map(k -> Base64.getEncoder().encodeToString(k.marshal())).orElse(""))
          .put("Addresses", addresses)
          .put("AgentVersion", info.agentVersion().orElse(""))
          .put("Protocols", protocols);
    }
    call.json(out);
  }

  private static void peers(RpcCall call, Network network) {
    JsonArray peers = new JsonArray();
    for (Connection c : network.host().connections()) {
      if (c.isClosed()) {
        continue;
      }
      JsonObject peer =
          new JsonObject()
              .put("Addr", c.remoteAddress().toString())
              .put("Peer", c.remotePeer().toString())
              // Kubo's network.Direction numbering: 1 inbound, 2 outbound.
              .put("Direction", c.direction() == Direction.INBOUND ? 1 : 2);
      if (call.flag("streams", false)) {
        peer.put("Streams", new JsonArray());
      }
      peers.add(peer);
    }
    call.json(new JsonObject().put("Peers", peers));
  }

  private static void connect(RpcCall call, Network network) {
    List<String> args = call.args();
    if (args.isEmpty()) {
      throw RpcException.badRequest("argument \"address\" is required");
    }
    List<Future<String>> dials = new ArrayList<>();
    for (String text : args) {
      Multiaddr address = multiaddr(text);
      if (address.valueOf(MultiaddrProtocol.P2P).isEmpty()) {
        throw RpcException.failed(
            "invalid peer address: " + text + " has no /p2p/<peer id> to check the peer against");
      }
      dials.add(
          network
              .host()
              .dial(address)
              .map(c -> "connect " + c.remotePeer() + " success")
              .recover(
                  e ->
                      Future.failedFuture(
                          RpcException.failed(
                              "connect " + address + " failure: " + e.getMessage()))));
    }
    Future.all(dials)
        .onSuccess(all -> call.json(strings(all.<String>list())))
        .onFailure(call::fail);
  }

  private static void disconnect(RpcCall call, Network network) {
    List<String> args = call.args();
    if (args.isEmpty()) {
      throw RpcException.badRequest("argument \"address\" is required");
    }
    List<Future<String>> closes = new ArrayList<>();
    for (String text : args) {
      PeerId peer =
          multiaddr(text)
              .valueOf(MultiaddrProtocol.P2P)
              .map(NetworkCommands::peerId)
              .orElseThrow(
                  () -> RpcException.failed("invalid peer address: " + text + " has no /p2p/"));
      List<Future<Void>> closing = new ArrayList<>();
      for (Connection c : network.host().connections()) {
        if (c.remotePeer().equals(peer)) {
          closing.add(c.close());
        }
      }
      if (closing.isEmpty()) {
        throw RpcException.failed("disconnect " + peer + " failure: not connected");
      }
      closes.add(Future.join(closing).map(v -> "disconnect " + peer + " success"));
    }
    Future.all(closes)
        .onSuccess(all -> call.json(strings(all.<String>list())))
        .onFailure(call::fail);
  }

  /** Kubo's {@code {"Addrs":{"<peer>":["<addr>",...]}}} from the peer store. */
  private static void knownAddresses(RpcCall call, Network network) {
    JsonObject addrs = new JsonObject();
    for (PeerId peer : network.host().peerStore().peers()) {
      JsonArray list = new JsonArray();
      network.host().peerStore().addresses(peer).forEach(a -> list.add(a.toString()));
      addrs.put(peer.toString(), list);
    }
    call.json(new JsonObject().put("Addrs", addrs));
  }

  private static void listenAddresses(RpcCall call, Network network) {
    List<String> out = new ArrayList<>();
    for (Multiaddr a : ListenAddresses.dialable(network.host().listenAddresses())) {
      out.add(a.toString());
    }
    call.json(strings(out));
  }

  /** Kubo's ndjson: a header line, one line per reply (Time in ns), then the average. */
  private static void ping(RpcCall call, Network network) {
    String target = call.arg("peer ID");
    int count = call.intOption("count", DEFAULT_PINGS);
    if (count < 1 || count > MAX_PINGS) {
      throw RpcException.badRequest("option \"count\": must be 1.." + MAX_PINGS + ", got " + count);
    }
    Future<PeerId> peer;
    if (target.startsWith("/")) {
      Multiaddr address = multiaddr(target);
      peer = network.host().dial(address).map(Connection::remotePeer);
    } else {
      peer = Future.succeededFuture(peerId(target));
    }
    peer.compose(
            p -> {
              if (p.equals(network.host().peerId())) {
                return Future.failedFuture(RpcException.failed("peer ID refers to self"));
              }
              return network.host().ping().ping(p, count).map(times -> lines(p, times));
            })
        .onSuccess(
            body ->
                call.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("X-Chunked-Output", "1")
                    .end(body))
        .onFailure(call::fail);
  }

  private static String lines(PeerId peer, List<Duration> times) {
    StringBuilder out = new StringBuilder();
    line(out, 0, "PING " + peer + ".");
    long total = 0;
    for (Duration t : times) {
      line(out, t.toNanos(), "");
      total += t.toNanos();
    }
    double averageMs = times.isEmpty() ? 0 : total / (double) times.size() / 1_000_000.0;
    line(out, 0, String.format(java.util.Locale.ROOT, "Average latency: %.2fms", averageMs));
    return out.toString();
  }

  private static void line(StringBuilder out, long nanos, String text) {
    out.append(new JsonObject().put("Success", true).put("Time", nanos).put("Text", text).encode())
        .append('\n');
  }

  private static void bitswapStat(RpcCall call, Network network) {
    Set<String> peers = new LinkedHashSet<>();
    for (Connection c : network.host().connections()) {
      peers.add(c.remotePeer().toString());
    }
    Future<PeerLedger> totals = network.exchange().totals();
    Future<List<Cid>> wants = network.exchange().wantlist();
    Future.all(totals, wants)
        .onSuccess(
            all -> {
              PeerLedger t = totals.result();
              call.json(
                  new JsonObject()
                      .put("BlocksReceived", t.blocksReceived())
                      .put("BlocksSent", t.blocksSent())
                      .put("DataReceived", t.bytesReceived())
                      .put("DataSent", t.bytesSent())
                      .put("DupBlksReceived", 0)
                      .put("DupDataReceived", 0)
                      .put("MessagesReceived", 0)
                      .put("Peers", new JsonArray(List.copyOf(peers)))
                      .put("ProvideBufLen", 0)
                      .put("Wantlist", cidLinks(wants.result())));
            })
        .onFailure(call::fail);
  }

  /** Kubo's query-event type for a provider found, and for a finished query. */
  private static final int PROVIDER = 4;

  private static final int FINAL_PEER = 2;

  /** Providers of a CID among the connected peers, one Kubo query event (ndjson line) each. */
  private static void findProviders(RpcCall call, Network network) {
    Cid cid = cid(call.arg("key"));
    int limit = call.intOption("num-providers", 20);
    if (limit < 1) {
      throw RpcException.badRequest("option \"num-providers\": must be at least 1");
    }
    new ConnectedPeersRouting(network.exchange())
        .findProviders(cid, limit, Duration.ofSeconds(10))
        .onSuccess(
            found -> {
              StringBuilder out = new StringBuilder();
              for (PeerId p : found) {
                JsonObject response =
                    new JsonObject().put("Addrs", new JsonArray()).put("ID", p.toString());
                out.append(
                        new JsonObject()
                            .put("Extra", "")
                            .put("ID", "")
                            .put("Responses", new JsonArray().add(response))
                            .put("Type", PROVIDER)
                            .encode())
                    .append('\n');
              }
              call.response()
                  .putHeader("Content-Type", "application/json")
                  .putHeader("X-Chunked-Output", "1")
                  .end(out.toString());
            })
        .onFailure(call::fail);
  }

  /** Announces a CID we hold; over connected peers that serves those who already want it. */
  private static void provide(RpcCall call, Network network) {
    Cid cid = cid(call.arg("key"));
    ContentRouting routing = new ConnectedPeersRouting(network.exchange());
    call.blocking(() -> network.exchange().has(cid))
        .compose(
            held -> {
              if (!held) {
                return Future.failedFuture(
                    RpcException.failed("block " + cid + " is not in the local blockstore"));
              }
              return routing.provide(cid);
            })
        .onSuccess(
            v ->
                call.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("X-Chunked-Output", "1")
                    .end(
                        new JsonObject()
                                .put("Extra", "")
                                .put("ID", "")
                                .put("Responses", (Object) null)
                                .put("Type", FINAL_PEER)
                                .encode()
                            + "\n"))
        .onFailure(call::fail);
  }

  private static Cid cid(String text) {
    try {
      return Cid.parse(text);
    } catch (RuntimeException e) {
      throw RpcException.failed("invalid CID \"" + text + "\": " + e.getMessage());
    }
  }

  /** What this node and one peer exchanged, as Kubo's {@code bitswap ledger}. */
  private static void ledger(RpcCall call, Network network) {
    if (call.args().isEmpty()) {
      throw RpcException.badRequest("argument \"peer\" is required");
    }
    network
        .exchange()
        .ledger(peerId(call.args().get(0)))
        .onSuccess(
            l ->
                call.json(
                    new JsonObject()
                        .put("Exchanged", l.exchanged())
                        .put("Peer", l.peer().toString())
                        .put("Recv", l.bytesReceived())
                        .put("Sent", l.bytesSent())
                        .put("Value", l.value())))
        .onFailure(call::fail);
  }

  /**
   * What this node waits for, or what a peer ({@code peer=}) wants from it, as Kubo's {@code
   * {"Keys":[{"/":cid}]}}.
   */
  private static void wantlist(RpcCall call, Network network) {
    Optional<String> peer = call.option("peer");
    Future<List<Cid>> wants =
        peer.isEmpty()
            ? network.exchange().wantlist()
            : network
                .exchange()
                .wantlistOf(peerId(peer.get()))
                .map(entries -> entries.stream().map(WantEntry::cid).toList());
    wants
        .onSuccess(cids -> call.json(new JsonObject().put("Keys", cidLinks(cids))))
        .onFailure(call::fail);
  }

  private static JsonArray cidLinks(List<Cid> cids) {
    JsonArray keys = new JsonArray();
    for (Cid c : cids) {
      keys.add(new JsonObject().put("/", c.toString()));
    }
    return keys;
  }

  private static JsonObject strings(List<String> lines) {
    return new JsonObject().put("Strings", new JsonArray(List.copyOf(lines)));
  }

  private static Multiaddr multiaddr(String text) {
    try {
      return Multiaddr.parse(text);
    } catch (MultiaddrException e) {
      throw RpcException.failed("invalid multiaddr \"" + text + "\": " + e.getMessage());
    }
  }

  private static PeerId peerId(String text) {
    try {
      return PeerId.parse(text);
    } catch (IllegalArgumentException e) {
      throw RpcException.failed("invalid peer id \"" + text + "\": " + e.getMessage());
    }
  }
}
