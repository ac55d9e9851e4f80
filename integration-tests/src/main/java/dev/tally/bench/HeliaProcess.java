package dev.tally.bench;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * A Helia 7 node ({@code src/test/js/helia-peer.mjs} on the npm-installed Node 22) driven by JSON
 * lines, one command at a time, for the exchange benchmark.
 */
final class HeliaProcess implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;
  private final OutputStream in;
  private final String address;
  private int nextId = 1;

  HeliaProcess(Path itDir, int seed) throws IOException {
    byte[] key = new byte[32];
    key[0] = (byte) seed;
    key[1] = 0x77;
    process =
        new ProcessBuilder(
                itDir.resolve("node_modules/.bin/node").toString(),
                itDir.resolve("src/test/js/helia-peer.mjs").toString(),
                HexFormat.of().formatHex(key))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    in = process.getOutputStream();
    JsonObject listening = next();
    address = listening.getJsonArray("addrs").getString(0);
  }

  /** The multiaddr it listens on, with {@code /p2p}. */
  String address() {
    return address;
  }

  private JsonObject next() throws IOException {
    String line = out.readLine();
    if (line == null) {
      throw new IOException("the Helia process exited");
    }
    return new JsonObject(line);
  }

  JsonObject command(JsonObject command) throws IOException {
    command.put("id", nextId++);
    in.write((command.encode() + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
    JsonObject answer = next();
    if (!answer.getBoolean("ok", false)) {
      throw new IOException("Helia failed " + command.encode() + ": " + answer.encode());
    }
    return answer;
  }

  @Override
  public void close() throws Exception {
    in.close();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
