package dev.tally.it.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third-party example, built by Maven against the SPI jar alone, dropped into {@code
 * <repo>/plugins/} and loaded by a daemon: as a plugin author ships one.
 */
class ExamplePluginJarTest {
  @TempDir Path temp;
  private Daemon daemon;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.stop();
    }
  }

  private static Path exampleJar() {
    Path jar = Path.of(System.getProperty("tally.it.examplePlugin", "missing"));
    assertTrue(Files.isRegularFile(jar), "the example plugin jar was not built: " + jar);
    return jar;
  }

  private String base() {
    String[] parts = daemon.apiAddress().toString().split("/");
    return "http://127.0.0.1:" + parts[4];
  }

  private HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theExampleLoadsFromAJarInTheReposPluginsDirectoryAndServesItsRoutes() throws Exception {
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("com.example.portfolio.PortfolioReportPlugin"),
        "the example must not be on the node's classpath, or this test proves nothing");
    Path dir = temp.resolve("repo");
    Repo repo = Repo.init(dir, RepoConfig.testProfile());
    Files.createDirectories(dir.resolve("plugins"));
    Path dropped = dir.resolve("plugins").resolve("portfolio-report.jar");
    Files.copy(exampleJar(), dropped);
    daemon = Daemon.start(repo, "test", HttpLimits.defaults());

    JsonArray plugins =
        new JsonObject(
                send(HttpRequest.newBuilder(URI.create(base() + "/api/v0/plugins/ls"))
                        .POST(HttpRequest.BodyPublishers.noBody()))
                    .body())
            .getJsonArray("Plugins");
    JsonObject example =
        plugins.stream()
            .map(JsonObject.class::cast)
            .filter(p -> p.getString("Name").equals("portfolio-report"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("not loaded: " + plugins));
    assertEquals("RUNNING", example.getString("State"), example.encode());
    assertEquals(dropped.toString(), example.getString("Origin"));
    assertEquals("1.0", example.getString("SpiVersion"));
    assertTrue(
        example.getJsonArray("Routes").contains("GET /plugins/portfolio-report/summary"),
        example.encode());

    HttpResponse<String> summary =
        send(HttpRequest.newBuilder(URI.create(base() + "/plugins/portfolio-report/summary")));
    assertEquals(200, summary.statusCode(), summary.body());
    JsonObject s = new JsonObject(summary.body());
    assertEquals(new JsonArray(), s.getJsonArray("heads"));
    assertEquals(new JsonArray(), s.getJsonArray("currencies"));
    HttpResponse<String> activity =
        send(HttpRequest.newBuilder(URI.create(base() + "/plugins/portfolio-report/activity")));
    assertEquals(200, activity.statusCode(), activity.body());
    // Its private database lives under the repo, apart from every other plugin's.
    assertTrue(Files.isDirectory(dir.resolve("plugins/data/portfolio-report")));
  }
}
