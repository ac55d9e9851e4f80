package dev.tally.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.http.HttpLimits;
import dev.tally.http.OneFileUpload;
import dev.tally.storage.repo.HttpSection;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import dev.tally.unixfs.ImportOptions;
import dev.tally.unixfs.Profile;
import dev.tally.unixfs.UnixfsImporter;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent {@code add}s through a daemon whose {@code HTTP.UploadBudget} is as small as the
 * config allows (a 256 KiB window for each of its concurrent requests, nothing shared beyond), so
 * every upload is paused and resumed again and again: each still gets the CID an in-process import
 * of its bytes gives, and the budget has every byte back once they are done (ADR 041).
 */
class ConcurrentUploadsTest {
  private static final int UPLOADS = 16;
  private static final long BUDGET = UPLOADS * (long) HttpSection.MIN_UPLOAD_WINDOW;
  private static final String BOUNDARY = "concurrent-uploads";

  @TempDir Path temp;

  @RegisterExtension final RunningDaemon daemons = new RunningDaemon();

  @Test
  void concurrentAddsUnderASmallBudgetEachGetTheirCid() throws Exception {
    HttpSection http =
        new HttpSection(
            HttpSection.DEFAULT_MAX_CONNECTIONS,
            UPLOADS,
            HttpSection.DEFAULT_READ_HEADER_TIMEOUT,
            HttpSection.DEFAULT_IDLE_TIMEOUT,
            OptionalInt.of(4 << 20),
            OptionalLong.of(BUDGET));
    RepoConfig config = RepoConfig.testProfile().toBuilder().http(http).build();
    Repo repo = Repo.init(temp.resolve("repo"), config);
    Daemon daemon = daemons.start(repo, HttpLimits.of(repo.config().http()));
    String base = "http://127.0.0.1:" + RunningDaemon.api(daemon).getPort();
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    List<byte[]> contents = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < UPLOADS; i++) {
      byte[] content = new byte[(3 << 20) + 1000 * i];
      new SplittableRandom(41 + i).nextBytes(content);
      contents.add(content);
      answers.add(
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(base + "/api/v0/add"))
                  .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(content)))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    ImportOptions options =
        ImportOptions.builder(Profile.byName(repo.config().importProfile()).orElseThrow()).build();
    for (int i = 0; i < UPLOADS; i++) {
      HttpResponse<String> answer = answers.get(i).get(5, TimeUnit.MINUTES);
      assertEquals(200, answer.statusCode(), answer.body());
      List<String> lines = answer.body().lines().toList();
      String hash = new JsonObject(lines.get(lines.size() - 1)).getString("Hash");
      String expected =
          UnixfsImporter.onlyHash(options)
              .importFile(new ByteArrayInputStream(contents.get(i)), "f.bin")
              .cid()
              .toString();
      assertEquals(expected, hash, "upload " + i);
    }
    String metrics =
        client
            .send(
                HttpRequest.newBuilder(URI.create(base + "/debug/metrics/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertEquals((double) BUDGET, gauge(metrics, "tally_http_upload_budget_bytes"));
    assertEquals(0.0, gauge(metrics, "tally_http_upload_buffered_bytes"));
  }

  private static double gauge(String metrics, String name) {
    Matcher m =
        Pattern.compile("^" + name + "\\{server=\"api\"\\} (\\S+)$", Pattern.MULTILINE)
            .matcher(metrics);
    assertTrue(m.find(), name + " missing from the metrics");
    return Double.parseDouble(m.group(1));
  }

  private static byte[] multipart(byte[] content) {
    return OneFileUpload.body(BOUNDARY, "f.bin", content);
  }
}
