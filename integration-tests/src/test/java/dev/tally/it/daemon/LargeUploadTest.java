package dev.tally.it.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.unixfs.ImportOptions;
import dev.tally.unixfs.UnixfsImporter;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload four times the daemon's heap goes through {@code /api/v0/add}: the body is streamed
 * into the importer with back-pressure, never held whole. The daemon runs as a child JVM with a 64
 * MiB heap; the root must equal an in-process import of the same bytes.
 */
@Tag("slow")
class LargeUploadTest {
  private static final long SIZE = 256L << 20;
  private static final String BOUNDARY = "large-upload-boundary";

  @TempDir Path temp;

  /** Deterministic pseudo-random bytes, generated on the fly. */
  private static InputStream content() {
    SplittableRandom random = new SplittableRandom(2026);
    return new InputStream() {
      private long left = SIZE;
      private final byte[] one = new byte[1];

      @Override
      public int read() {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left == 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        for (int i = 0; i < n; i++) {
          b[off + i] = (byte) random.nextInt();
        }
        left -= n;
        return n;
      }
    };
  }

  private static InputStream multipart() {
    byte[] head =
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
    return new SequenceInputStream(
        new SequenceInputStream(new ByteArrayInputStream(head), content()),
        new ByteArrayInputStream(tail));
  }

  @Test
  void addsFourTimesTheHeapOverHttp() throws Exception {
    Path repo = temp.resolve("repo");
    Files.createDirectories(repo);
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        List.of(
            java,
            "-Xmx64m",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.tally.cli.Main",
            "init",
            "--repo",
            repo.toString());
    Process init = new ProcessBuilder(command).inheritIO().start();
    assertEquals(0, init.waitFor());
    Path config = repo.resolve("config.json");
    Files.writeString(
        config,
        Files.readString(config)
            .replace("tcp/5001", "tcp/0")
            .replace("tcp/8080", "tcp/0")
            .replace("tcp/4001", "tcp/0"));
    Process daemon =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.tally.cli.Main",
                "daemon",
                "--repo",
                repo.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
      Pattern api = Pattern.compile("RPC API server listening on /ip4/127\\.0\\.0\\.1/tcp/(\\d+)");
      String port = null;
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        Matcher m = api.matcher(line);
        if (m.find()) {
          port = m.group(1);
        }
        if (line.equals("Daemon is ready")) {
          break;
        }
      }
      assertTrue(port != null, "the daemon did not start");
      HttpResponse<String> added =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + port + "/api/v0/add?quieter=true"))
                      .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                      .POST(HttpRequest.BodyPublishers.ofInputStream(LargeUploadTest::multipart))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, added.statusCode(), added.body());
      String expected;
      try (InputStream in = content()) {
        expected =
            UnixfsImporter.onlyHash(ImportOptions.defaults())
                .importStream(in, "big.bin")
                .cid()
                .toString();
      }
      assertEquals(expected, new JsonObject(added.body().trim()).getString("Hash"));
    } finally {
      daemon.destroy();
      assertTrue(daemon.waitFor(30, TimeUnit.SECONDS), "the daemon did not stop on SIGTERM");
    }
  }
}
