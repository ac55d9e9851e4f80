package dev.tally.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code bench/import-bench.mjs} (ipfs-unixfs-importer on Node) and reads its JSON lines. */
final class NodeImport {
  /** One profile's figure as the script printed it. */
  record Result(
      String profile,
      double bestSeconds,
      double cpuSeconds,
      double mbPerSec,
      String root,
      String node,
      String importer) {}

  private static final Pattern FIELD =
      Pattern.compile("\"(\\w+)\":(?:\"([^\"]*)\"|(-?[0-9][0-9.eE+-]*))");

  private NodeImport() {}

  static List<Result> run(Path node, Path script, Path file, int runs, List<String> profiles)
      throws IOException, InterruptedException {
    requireFile(node, "Node 22 binary (run `npm ci` in integration-tests)");
    requireFile(script, "the Node import benchmark script");
    List<String> cmd = new ArrayList<>();
    cmd.add(node.toString());
    cmd.add("--expose-gc");
    cmd.add(script.toString());
    cmd.add(file.toString());
    cmd.add(Integer.toString(runs));
    cmd.addAll(profiles);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      out = buf.toString(StandardCharsets.UTF_8);
    }
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("the Node import benchmark did not finish in 10 minutes");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "the Node import benchmark failed (exit " + p.exitValue() + "): " + out);
    }
    List<Result> results = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("{")) {
        results.add(parse(line));
      }
    }
    if (results.size() != profiles.size()) {
      throw new IllegalStateException(
          "expected " + profiles.size() + " result lines from the Node benchmark, got: " + out);
    }
    return results;
  }

  private static Result parse(String json) {
    Map<String, String> f = new HashMap<>();
    Matcher m = FIELD.matcher(json);
    while (m.find()) {
      f.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
    }
    for (String key :
        List.of("profile", "bestSeconds", "cpuSeconds", "mbPerSec", "root", "node", "importer")) {
      if (!f.containsKey(key)) {
        throw new IllegalStateException("Node benchmark line lacks \"" + key + "\": " + json);
      }
    }
    return new Result(
        f.get("profile"),
        Double.parseDouble(f.get("bestSeconds")),
        Double.parseDouble(f.get("cpuSeconds")),
        Double.parseDouble(f.get("mbPerSec")),
        f.get("root"),
        f.get("node"),
        f.get("importer"));
  }

  private static void requireFile(Path path, String what) {
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("missing " + what + ": " + path);
    }
  }
}
