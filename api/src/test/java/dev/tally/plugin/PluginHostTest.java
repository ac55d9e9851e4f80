package dev.tally.plugin;

import static dev.tally.plugin.PluginServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.plugin.spi.PluginConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginHostTest {
  @TempDir Path repo;

  private Path plugins() {
    return repo.resolve("plugins");
  }

  private PluginOptions options(Map<String, Map<String, String>> configs) {
    Map<String, PluginConfig> c = new HashMap<>();
    configs.forEach((k, v) -> c.put(k, new PluginConfig(v)));
    PluginOptions d = PluginOptions.defaults(plugins());
    return new PluginOptions(
        d.pluginsDir(),
        d.dataDir(),
        Duration.ofSeconds(5),
        Duration.ofSeconds(2),
        Duration.ofMillis(500),
        Duration.ofMillis(500),
        1024,
        2,
        4,
        false,
        Set.of(),
        Optional.empty(),
        c);
  }

  private static SyntheticSource diamond() {
    SyntheticSource s = new SyntheticSource();
    s.append("a", "LoanRequested");
    s.append("b", "OfferMade", "a");
    s.append("c", "OfferMade", "a");
    s.append("d", "LoanAgreed", "b", "c");
    return s;
  }

  @Test
  void deliversEveryEntryInCausalOrderWithTheHeadsEachReflects() throws IOException {
    PluginJars.probe(plugins(), "probe");
    SyntheticSource source = diamond();
    try (PluginHost host = PluginHost.start(options(Map.of()), source);
        PluginServer http = new PluginServer(host)) {
      assertEquals(PluginState.RUNNING, host.status("probe").orElseThrow().state());
      eventually(
          "four deliveries", () -> http.get("/plugins/probe/seen").body().lines().count() == 4);
      assertEquals(
          List.of("a@a", "b@b", "c@b,c", "d@d"),
          http.get("/plugins/probe/seen").body().lines().toList());
      source.append("e", "Disbursed", "d");
      source.append("f", "RepaymentReceived", "d");
      eventually(
          "six deliveries", () -> http.get("/plugins/probe/seen").body().lines().count() == 6);
      assertEquals(
          List.of("e@e", "f@e,f"), http.get("/plugins/probe/seen").body().lines().skip(4).toList());
      assertEquals(
          List.of(new dev.tally.plugin.spi.log.Heads(List.of("e", "f"))),
          host.status("probe").orElseThrow().positions());
    }
  }

  @Test
  void resumesFromACheckpointWithoutRedeliveringWhatItHadSeen() throws IOException {
    PluginJars.probe(plugins(), "probe");
    try (PluginHost host =
            PluginHost.start(options(Map.of("probe", Map.of("from", "b,c"))), diamond());
        PluginServer http = new PluginServer(host)) {
      eventually("one delivery", () -> !http.get("/plugins/probe/seen").body().isEmpty());
      assertEquals("d@d", http.get("/plugins/probe/seen").body());
    }
  }

  @Test
  void aJarPluginSeesTheSpiAndTheJdkButNotTheNodeOrItsLibraries() throws IOException {
    PluginJars.probe(plugins(), "probe");
    try (PluginHost host = PluginHost.start(options(Map.of()), diamond());
        PluginServer http = new PluginServer(host)) {
      assertEquals(
          "visible", http.get("/plugins/probe/see/dev.tally.plugin.spi.TallyPlugin").body());
      assertEquals("visible", http.get("/plugins/probe/see/java.sql.Connection").body());
      assertEquals("hidden", http.get("/plugins/probe/see/dev.tally.node.Node").body());
      assertEquals("hidden", http.get("/plugins/probe/see/dev.tally.plugin.PluginHost").body());
      assertEquals("hidden", http.get("/plugins/probe/see/dev.tally.storage.repo.Repo").body());
      assertEquals("hidden", http.get("/plugins/probe/see/io.vertx.core.Vertx").body());
      assertEquals("hidden", http.get("/plugins/probe/see/org.h2.Driver").body());
    }
  }

  @Test
  void aPluginThatThrowsInStartIsFailedAndReportedWhileTheOthersRun() throws IOException {
    PluginJars.probe(plugins(), "bad");
    PluginJars.probe(plugins(), "good");
    try (PluginHost host =
            PluginHost.start(options(Map.of("bad", Map.of("mode", "throw-start"))), diamond());
        PluginServer http = new PluginServer(host)) {
      PluginStatus bad = host.status("bad").orElseThrow();
      assertEquals(PluginState.FAILED, bad.state());
      assertTrue(bad.error().orElseThrow().contains("boom at start"), bad.error().orElseThrow());
      assertEquals(PluginState.RUNNING, host.status("good").orElseThrow().state());
      eventually(
          "good gets entries", () -> http.get("/plugins/good/seen").body().lines().count() == 4);
      var r = http.get("/plugins/bad/seen");
      assertEquals(503, r.statusCode());
      assertTrue(r.body().contains("boom at start"), r.body());
    }
  }

  @Test
  void aMalformedQueryStringIsABadRequestNotAnUnansweredOne() throws IOException {
    PluginJars.probe(plugins(), "probe");
    try (PluginHost host = PluginHost.start(options(Map.of()), diamond());
        PluginServer http = new PluginServer(host)) {
      String answer = http.raw("GET /plugins/probe/seen?from=% HTTP/1.1");
      assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
      assertTrue(answer.contains("malformed query string"), answer);
    }
  }

  @Test
  void aPluginThatHangsInStartIsFailedAtTheStartLimit() throws IOException {
    PluginJars.probe(plugins(), "stuck");
    PluginOptions o =
        options(Map.of("stuck", Map.of("mode", "hang-start")))
            .withTimeouts(
                Duration.ofMillis(300),
                Duration.ofMillis(300),
                Duration.ofMillis(300),
                Duration.ofMillis(300));
    long t0 = System.nanoTime();
    try (PluginHost host = PluginHost.start(o, diamond())) {
      PluginStatus s = host.status("stuck").orElseThrow();
      assertEquals(PluginState.FAILED, s.state());
      assertTrue(
          s.error().orElseThrow().contains("start() did not return within 300 ms"), s.toString());
    }
    assertTrue(
        System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(),
        "the host waited for a hung plugin");
  }

  @Test
  void aPluginThatHangsOnAnEntryIsStoppedAndTheOtherKeepsReceiving() throws IOException {
    PluginJars.probe(plugins(), "stuck");
    PluginJars.probe(plugins(), "fine");
    SyntheticSource source = diamond();
    try (PluginHost host =
            PluginHost.start(options(Map.of("stuck", Map.of("mode", "hang-entry"))), source);
        PluginServer http = new PluginServer(host)) {
      source.append("h", "Hang", "d");
      source.append("i", "RepaymentReceived", "h");
      eventually(
          "stuck fails", () -> host.status("stuck").orElseThrow().state() == PluginState.FAILED);
      assertTrue(
          host.status("stuck")
              .orElseThrow()
              .error()
              .orElseThrow()
              .contains("onEntry(h) did not return within 500 ms"));
      eventually("fine gets all", () -> http.get("/plugins/fine/seen").body().lines().count() == 6);
      assertEquals(503, http.get("/plugins/stuck/seen").statusCode());
    }
  }

  @Test
  void aPluginThatThrowsOnAnEntryIsStoppedNamingTheEntry() throws IOException {
    PluginJars.probe(plugins(), "picky");
    SyntheticSource source = diamond();
    source.append("x", "Boom", "d");
    try (PluginHost host =
        PluginHost.start(options(Map.of("picky", Map.of("mode", "throw-entry"))), source)) {
      eventually(
          "picky fails", () -> host.status("picky").orElseThrow().state() == PluginState.FAILED);
      String error = host.status("picky").orElseThrow().error().orElseThrow();
      assertTrue(error.contains("onEntry(x) threw") && error.contains("cannot digest x"), error);
    }
  }

  @Test
  void aRouteThatHangsAnswers504AndStopsThePlugin() throws IOException {
    PluginJars.probe(plugins(), "probe");
    try (PluginHost host = PluginHost.start(options(Map.of()), diamond());
        PluginServer http = new PluginServer(host)) {
      var r = http.get("/plugins/probe/hang");
      assertEquals(504, r.statusCode());
      assertTrue(r.body().contains("did not return within 500 ms"), r.body());
      eventually(
          "probe fails", () -> host.status("probe").orElseThrow().state() == PluginState.FAILED);
    }
  }

  @Test
  void routesAnswerWithStatusesAClientCanActOn() throws IOException {
    PluginJars.probe(plugins(), "probe");
    try (PluginHost host = PluginHost.start(options(Map.of()), diamond());
        PluginServer http = new PluginServer(host)) {
      assertEquals(404, http.get("/plugins/nobody/x").statusCode());
      assertEquals(404, http.get("/plugins/probe/nothing-here").statusCode());
      var missing = http.get("/plugins/probe/missing/thing");
      assertEquals(404, missing.statusCode());
      assertEquals("no thing", new JsonObject(missing.body()).getString("error"));
      var wrongMethod = http.post("/plugins/probe/seen", "");
      assertEquals(405, wrongMethod.statusCode());
      assertEquals("GET", wrongMethod.headers().firstValue("Allow").orElseThrow());
      var bug = http.get("/plugins/probe/boom");
      assertEquals(500, bug.statusCode());
      assertTrue(bug.body().contains("route bug"), bug.body());
      assertEquals(PluginState.RUNNING, host.status("probe").orElseThrow().state());
      assertEquals("got 1024 bytes", http.post("/plugins/probe/echo", "x".repeat(1024)).body());
      assertEquals(413, http.post("/plugins/probe/echo", "x".repeat(1025)).statusCode());
      var cross =
          http.send(
              java.net.http.HttpRequest.newBuilder(http.uri("/plugins/probe/seen"))
                  .header("Origin", "http://evil.example"));
      assertEquals(403, cross.statusCode());
      assertEquals("not a plugin path\n", http.get("/api/v0/id").body());
    }
  }

  @Test
  void eachPluginHasItsOwnDatabaseThatOutlivesARestart() throws IOException {
    PluginJars.probe(plugins(), "one");
    PluginJars.probe(plugins(), "two");
    try (PluginHost host = PluginHost.start(options(Map.of()), diamond());
        PluginServer http = new PluginServer(host)) {
      assertEquals("ok", http.post("/plugins/one/kv/colour/blue", "").body());
      assertEquals("blue", http.get("/plugins/one/kv/colour").body());
      assertEquals("absent", http.get("/plugins/two/kv/colour").body());
    }
    assertTrue(Files.isDirectory(plugins().resolve("data").resolve("one")));
    try (PluginHost host = PluginHost.start(options(Map.of()), diamond());
        PluginServer http = new PluginServer(host)) {
      assertEquals("blue", http.get("/plugins/one/kv/colour").body());
    }
  }

  @Test
  void refusesPluginsCompiledAgainstAnotherMajorSpiOrANewerMinor() throws IOException {
    PluginJars.probe(plugins(), "future", "\"2.0\"");
    PluginJars.probe(plugins(), "newer", "\"1.9\"");
    try (PluginHost host = PluginHost.start(options(Map.of()), diamond())) {
      String major = host.status("future").orElseThrow().error().orElseThrow();
      assertTrue(
          major.contains("compiled against SPI 2.0") && major.contains("provides SPI 1.0"), major);
      String minor = host.status("newer").orElseThrow().error().orElseThrow();
      assertTrue(minor.contains("upgrade the node"), minor);
      assertEquals(PluginState.FAILED, host.status("newer").orElseThrow().state());
    }
  }

  @Test
  void reportsJarsWithoutAPluginAndDuplicateNames() throws IOException {
    PluginJars.build(
        Files.createDirectories(plugins()).resolve("empty.jar"),
        Map.of("x.Nothing", "package x; public class Nothing {}"),
        List.of(),
        Map.of());
    PluginJars.probe(plugins(), "twin");
    Files.copy(plugins().resolve("twin.jar"), plugins().resolve("twin-copy.jar"));
    try (PluginHost host = PluginHost.start(options(Map.of()), diamond())) {
      List<PluginStatus> all = host.list();
      PluginStatus empty =
          all.stream().filter(s -> s.name().equals("empty.jar")).findFirst().orElseThrow();
      assertEquals(PluginState.FAILED, empty.state());
      assertTrue(empty.error().orElseThrow().contains("META-INF/services"), empty.toString());
      List<PluginStatus> twins = all.stream().filter(s -> s.name().equals("twin")).toList();
      assertEquals(2, twins.size());
      assertEquals(1, twins.stream().filter(s -> s.state() == PluginState.RUNNING).count());
      assertTrue(
          twins.stream().anyMatch(s -> s.error().orElse("").contains("another plugin named twin")));
    }
  }

  @Test
  void listsPluginsOverTheRpcApi() throws IOException {
    PluginJars.probe(plugins(), "probe");
    try (PluginHost host = PluginHost.start(options(Map.of()), diamond());
        PluginServer http = new PluginServer(host)) {
      assertEquals(405, http.get("/api/v0/plugins/ls").statusCode());
      JsonArray list =
          new JsonObject(http.post("/api/v0/plugins/ls", "").body()).getJsonArray("Plugins");
      JsonObject p = list.getJsonObject(0);
      assertEquals("probe", p.getString("Name"));
      assertEquals("RUNNING", p.getString("State"));
      assertEquals("1.0", p.getString("SpiVersion"));
      assertTrue(p.getString("Origin").endsWith("probe.jar"));
      assertTrue(p.getJsonArray("Routes").contains("GET /plugins/probe/loans/{id}"));
    }
  }
}
