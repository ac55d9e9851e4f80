package dev.tally.it.exchange;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.PeerId;
import dev.tally.it.NodeScripts;
import dev.tally.multiformats.Multiaddr;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Helia node in a child process (src/test/js/helia-peer.mjs on the npm-installed Node 22), driven
 * by JSON-line commands on stdin, one at a time.
 */
final class HeliaPeer implements AutoCloseable {
  private final Process process;
  private final OutputStream stdin;
  private final BlockingQueue<JsonObject> lines = new LinkedBlockingQueue<>();
  private final AtomicInteger nextId = new AtomicInteger(1);
  final PeerId peerId;
  final Multiaddr address;

  private HeliaPeer(Process process) throws InterruptedException {
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread reader = new Thread(this::readLines, "helia-stdout");
    reader.setDaemon(true);
    reader.start();
    JsonObject listening = next(Duration.ofSeconds(60));
    assertTrue("listening".equals(listening.getString("event")), listening.encode());
    this.peerId = PeerId.parse(listening.getString("peerId"));
    this.address = Multiaddr.parse(listening.getJsonArray("addrs").getString(0));
  }

  /** Starts a node whose Ed25519 identity is derived from the 32-byte {@code seed}. */
  static HeliaPeer start(byte[] seed) throws IOException, InterruptedException {
    return new HeliaPeer(
        NodeScripts.startLogged("helia-peer.mjs", "helia-peer.log", NodeScripts.hex(seed)));
  }

  private void readLines() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lines.add(new JsonObject(line));
      }
    } catch (IOException | RuntimeException e) {
      // The process ended; waiting callers time out with their own message.
    }
  }

  private JsonObject next(Duration timeout) throws InterruptedException {
    JsonObject line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new AssertionError(
          "Helia sent nothing within " + timeout + (process.isAlive() ? "" : "; it exited"));
    }
    return line;
  }

  /** Sends a command and waits for its answer; fails the test if Helia reports an error. */
  JsonObject command(JsonObject command, Duration timeout) throws InterruptedException {
    int id = nextId.getAndIncrement();
    command.put("id", id);
    try {
      stdin.write((command.encode() + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new AssertionError("Helia is gone", e);
    }
    JsonObject answer = next(timeout);
    if (answer.getInteger("id", -1) != id || !answer.getBoolean("ok", false)) {
      throw new AssertionError("Helia failed " + command.encode() + ": " + answer.encode());
    }
    return answer;
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
