package dev.tally.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.http.HttpLimits;
import dev.tally.storage.repo.ApiSection;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code API.HTTPHeaders} (CORS) and {@code API.Authorizations}, as Kubo applies them. */
class ApiAccessTest {
  @TempDir Path temp;

  private Daemon daemon;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.stop();
    }
  }

  private void start(ApiSection api) {
    Repo repo = Repo.init(temp.resolve("repo"), RepoConfig.testProfile().withApi(api));
    daemon = Daemon.start(repo, "test", HttpLimits.defaults());
  }

  private HttpResponse<String> send(String method, String command, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(RunningDaemon.apiUrl(daemon) + "/api/v0/" + command))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void crossOriginRequestsNeedTheOriginInHttpHeadersAndGetItsPreflightAnswered() throws Exception {
    start(
        new ApiSection(
            Map.of(
                "Access-Control-Allow-Origin", List.of("http://app.example"),
                "X-Served-By", List.of("tally")),
            Map.of()));
    HttpResponse<String> allowed = send("POST", "version", "Origin", "http://app.example");
    assertEquals(200, allowed.statusCode());
    assertEquals(
        "http://app.example",
        allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    assertEquals("tally", allowed.headers().firstValue("X-Served-By").orElse(""));
    assertEquals(403, send("POST", "version", "Origin", "http://evil.example").statusCode());
    HttpResponse<String> preflight =
        send(
            "OPTIONS",
            "add",
            "Origin",
            "http://app.example",
            "Access-Control-Request-Method",
            "POST",
            "Access-Control-Request-Headers",
            "content-type");
    assertEquals(200, preflight.statusCode());
    assertEquals("POST", preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(""));
    assertEquals(
        "content-type", preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""));
  }

  @Test
  void authorizationsRequireAKnownSecretAndLimitItsPaths() throws Exception {
    start(
        new ApiSection(
            Map.of(),
            Map.of(
                "alice", new ApiSection.Authorization("bearer:s3cret", List.of("/api/v0")),
                "bob", new ApiSection.Authorization("basic:bob:pa55", List.of("/api/v0/id")))));
    assertEquals(403, send("POST", "version").statusCode());
    assertEquals(403, send("POST", "version", "Authorization", "Bearer wrong").statusCode());
    assertEquals(200, send("POST", "version", "Authorization", "Bearer s3cret").statusCode());
    String bob =
        "Basic " + Base64.getEncoder().encodeToString("bob:pa55".getBytes(StandardCharsets.UTF_8));
    assertEquals(200, send("POST", "id", "Authorization", bob).statusCode());
    HttpResponse<String> outside = send("POST", "version", "Authorization", bob);
    assertEquals(403, outside.statusCode());
    assertTrue(outside.body().contains("may not use /api/v0/version"), outside.body());
  }
}
