package dev.tally.it.net;

import dev.tally.crypto.PeerId;
import dev.tally.it.NodeScripts;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Connection;
import dev.tally.net.host.BasicHost;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A js-libp2p node in a child process (src/test/js/libp2p-peer.mjs on the npm-installed Node 22),
 * driven by JSON-line commands on stdin; its answers and events are JSON lines on stdout.
 */
final class JsLibp2pPeer implements AutoCloseable {
  private final Process process;
  private final OutputStream stdin;
  private final BlockingQueue<JsonObject> answers = new LinkedBlockingQueue<>();
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger nextId = new AtomicInteger(1);
  final PeerId peerId;
  final Multiaddr address;

  private JsLibp2pPeer(Process process) throws InterruptedException {
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread reader = new Thread(this::readLines, "js-libp2p-stdout");
    reader.setDaemon(true);
    reader.start();
    JsonObject listening = awaitEvent("listening", Duration.ofSeconds(60));
    this.peerId = PeerId.parse(listening.getString("peerId"));
    this.address = Multiaddr.parse(listening.getJsonArray("addrs").getString(0));
  }

  /**
   * How long the node lets an inbound stream's set-up take, from its SYN to the end of its
   * peer-store write (js-libp2p's {@code inboundStreamProtocolNegotiationTimeout}, 10 s by
   * default). Those writes run one at a time per peer, so at load 17-26 the 129th of 200 streams
   * Tally opened at once outlasted 10 s and js-libp2p reset it after confirming its protocol (ADR
   * 039). The tests wait a minute for anything else; so may the node.
   */
  static final Duration STREAM_SET_UP_TIMEOUT = Duration.ofSeconds(60);

  /** Starts a node whose Ed25519 identity is derived from the 32-byte {@code seed}. */
  static JsLibp2pPeer start(byte[] seed) throws IOException, InterruptedException {
    return start(seed, Duration.ZERO, Duration.ZERO);
  }

  /**
   * Starts a node that sets inbound connections up slowly: its connection gater answers only after
   * {@code gateDelay}, as a busy node's or a gating node's does.
   */
  static JsLibp2pPeer startSlowToSetUp(byte[] seed, Duration gateDelay)
      throws IOException, InterruptedException {
    return start(seed, gateDelay, Duration.ZERO);
  }

  /**
   * Starts a node whose echo and sink handlers start reading a stream only {@code handlerDelay}
   * after js-libp2p hands it to them, as they do on a loaded machine when the stream's set-up ends
   * after the remote's data and FIN have arrived.
   */
  static JsLibp2pPeer startWithLateHandlers(byte[] seed, Duration handlerDelay)
      throws IOException, InterruptedException {
    return start(seed, Duration.ZERO, handlerDelay);
  }

  private static JsLibp2pPeer start(byte[] seed, Duration gateDelay, Duration handlerDelay)
      throws IOException, InterruptedException {
    return new JsLibp2pPeer(
        NodeScripts.startLogged(
            "libp2p-peer.mjs",
            "js-libp2p-peer.log",
            NodeScripts.hex(seed),
            Long.toString(gateDelay.toMillis()),
            Long.toString(STREAM_SET_UP_TIMEOUT.toMillis()),
            Long.toString(handlerDelay.toMillis())));
  }

  private void readLines() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        JsonObject json = new JsonObject(line);
        if (json.containsKey("event")) {
          events.add(json);
        } else {
          answers.add(json);
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process ended; waiting callers time out with their own message.
    }
  }

  /** Sends a command and waits for its answer; fails the test if the peer reports an error. */
  JsonObject command(JsonObject command, Duration timeout) throws InterruptedException {
    int id = nextId.getAndIncrement();
    command.put("id", id);
    try {
      synchronized (stdin) {
        stdin.write((command.encode() + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
      }
    } catch (IOException e) {
      throw new AssertionError("js-libp2p peer is gone", e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonObject> others = new ArrayList<>();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        JsonObject a = left > 0 ? answers.poll(left, TimeUnit.NANOSECONDS) : null;
        if (a == null) {
          throw new AssertionError("no answer from js-libp2p to " + command.encode());
        }
        if (a.getInteger("id", -1) == id) {
          if (!a.getBoolean("ok", false)) {
            throw new AssertionError(
                "js-libp2p failed " + command.encode() + ": " + a.getString("error"));
          }
          return a;
        }
        others.add(a);
      }
    } finally {
      answers.addAll(others);
    }
  }

  /** Waits for the first event of {@code type} matching nothing else. */
  JsonObject awaitEvent(String type, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonObject e : events) {
        if (type.equals(e.getString("event"))) {
          return e;
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError("js-libp2p peer exited with " + process.exitValue());
      }
      Thread.sleep(10);
    }
    throw new AssertionError("js-libp2p peer sent no " + type + " event");
  }

  /**
   * Dials this node from {@code host} and waits until js-libp2p has set the connection up: the
   * node's answer to our identify stream shows it has. js-libp2p aborts a connection that receives
   * more than 10 streams before then; Tally's Yamux ACK backlog now keeps it under that (ADR 030,
   * {@code JsLibp2pAckBacklogTest}), so this wait is for tests that need identify to have run.
   */
  Connection dialFrom(BasicHost host, Duration timeout) throws Exception {
    Connection c = host.dial(address).await(timeout.toSeconds(), TimeUnit.SECONDS);
    host.identify().identified(c).await(timeout.toSeconds(), TimeUnit.SECONDS);
    return c;
  }

  /** Kills the node abruptly, as a crash would. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // already gone
    }
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
