package dev.tally.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts the JavaScript reference peers and tools in {@code src/test/js} with the Node 22 that
 * {@code npm ci} installs into {@code node_modules} (never the machine's Node).
 */
public final class NodeScripts {
  private NodeScripts() {}

  /** The integration-tests directory (set by the build; "." when run from there). */
  public static Path itDir() {
    return Path.of(System.getProperty("tally.it.dir", "."));
  }

  /** A process builder for {@code node src/test/js/<script> args...}. */
  public static ProcessBuilder command(String script, String... args) {
    Path node = itDir().resolve("node_modules/.bin/node");
    assertTrue(Files.isExecutable(node), "Node 22 from npm is missing: run npm ci in " + itDir());
    List<String> command = new ArrayList<>();
    command.add(node.toString());
    command.add(itDir().resolve("src/test/js/" + script).toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  /** Starts a long-lived peer whose stderr is appended to {@code target/<logName>}. */
  public static Process startLogged(String script, String logName, String... args)
      throws IOException {
    Path log = itDir().resolve("target/" + logName);
    Files.createDirectories(log.getParent());
    return command(script, args)
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /**
   * Root CIDs that ipfs-unixfs-importer gives for {@code jobs} ({@code src/test/js/import.mjs}'s
   * format), by job id; {@code dir} holds the jobs file.
   */
  public static java.util.Map<String, Object> referenceCids(
      io.vertx.core.json.JsonArray jobs, Path dir) throws IOException, InterruptedException {
    Path jobsFile = Files.createTempFile(dir, "jobs", ".json");
    Files.writeString(jobsFile, jobs.encode());
    Process p =
        command("import.mjs", jobsFile.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "reference importer timed out");
    assertEquals(0, p.exitValue(), "reference importer failed");
    return new java.util.LinkedHashMap<>(new io.vertx.core.json.JsonObject(out.trim()).getMap());
  }

  /** The hex text of a peer's identity seed, as the scripts take it. */
  public static String hex(byte[] seed) {
    return HexFormat.of().formatHex(seed);
  }
}
