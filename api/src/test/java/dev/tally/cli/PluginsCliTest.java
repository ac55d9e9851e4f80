package dev.tally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.lending.money.Currency;
import dev.tally.lending.money.Money;
import dev.tally.lending.money.Rate;
import dev.tally.lending.record.LendingRecord;
import dev.tally.lending.record.LoanRequested;
import dev.tally.lending.record.PartyRegistered;
import dev.tally.lending.schedule.Amortization;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tally plugins ls} and the lending views against a running daemon. */
class PluginsCliTest {
  @TempDir Path temp;
  private Daemon daemon;

  private Cli startDaemon() throws Exception {
    Path dir = temp.resolve("repo");
    Repo repo = Repo.init(dir, RepoConfig.testProfile());
    // A jar that is not a plugin: reported, never fatal.
    Files.createDirectories(dir.resolve("plugins"));
    Files.write(dir.resolve("plugins").resolve("broken.jar"), new byte[] {'n', 'o', 't'});
    daemon = Daemon.start(repo, "test", HttpLimits.defaults());
    return new Cli(dir);
  }

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.stop();
    }
  }

  @Test
  void listsTheBuiltInPluginsRunningAndABrokenJarWithItsError() throws Exception {
    Cli cli = startDaemon();
    Cli.Result json = cli.run("plugins", "ls", "--enc", "json");
    assertEquals(0, json.code(), json.stderr());
    JsonArray plugins = new JsonObject(json.stdout()).getJsonArray("Plugins");
    for (String name : List.of("delinquency", "loan-book", "positions")) {
      JsonObject p =
          plugins.stream()
              .map(JsonObject.class::cast)
              .filter(o -> o.getString("Name").equals(name))
              .findFirst()
              .orElseThrow(() -> new AssertionError(name + " missing from " + plugins));
      assertEquals("RUNNING", p.getString("State"));
      assertEquals("classpath", p.getString("Origin"));
    }
    JsonObject broken =
        plugins.stream()
            .map(JsonObject.class::cast)
            .filter(o -> o.getString("Name").equals("broken.jar"))
            .findFirst()
            .orElseThrow();
    assertEquals("FAILED", broken.getString("State"));
    assertTrue(!broken.getString("Error").isEmpty());
    Cli.Result text = cli.run("plugins", "ls");
    assertEquals("NAME", text.lines().get(0).split("\\s+")[0]);
    assertTrue(text.stdout().contains("loan-book"), text.stdout());
  }

  @Test
  void lendingViewsSayWhichHeadsTheyReflect() throws Exception {
    Cli cli = startDaemon();
    Cli.Result loans = cli.run("lending", "loans", "--enc", "json");
    assertEquals(0, loans.code(), loans.stderr());
    JsonObject body = new JsonObject(loans.stdout());
    assertEquals(new JsonArray(), body.getJsonArray("loans"));
    assertEquals(new JsonArray(), body.getJsonArray("heads"));
    Cli.Result table = cli.run("lending", "loans");
    assertTrue(table.lines().get(0).startsWith("ID"), table.stdout());
    assertTrue(table.stdout().contains("at heads (empty log)"), table.stdout());
    Cli.Result delinquency = cli.run("lending", "delinquency", "--enc", "json");
    assertEquals(0, delinquency.code(), delinquency.stderr());
    assertEquals(new JsonArray(), new JsonObject(delinquency.stdout()).getJsonArray("currencies"));
    assertEquals(0, cli.run("lending", "positions").code());
  }

  @Test
  void aLoanRequestedOnTheDaemonsLogShowsInTheLoanBookAtItsHeads() throws Exception {
    Cli cli = startDaemon();
    Ed25519PrivateKey key = (Ed25519PrivateKey) daemon.repo().identity();
    Log log =
        daemon
            .logs()
            .replicas()
            .create(LogManifest.create("lending", 1, List.of(key.publicKey()), 0, List.of()));
    LocalDate day = LocalDate.of(2026, 5, 4);
    log.append(
        LendingRecord.of(
                Optional.empty(), day, new PartyRegistered(List.of("borrower"), Optional.empty()))
            .encode(),
        key);
    Entry request =
        log.append(
            LendingRecord.of(
                    Optional.empty(),
                    day,
                    new LoanRequested(
                        Money.parse("2500.00", Currency.of("EUR")),
                        6,
                        1,
                        "working-capital",
                        Rate.parsePercent("10"),
                        Amortization.EQUAL_INSTALLMENTS,
                        day.plusDays(30)))
                .encode(),
            key);
    daemon.logs().replicas().save(log);

    Cli.Result json = cli.run("lending", "loans", "--enc", "json");
    assertEquals(0, json.code(), json.stderr());
    JsonObject body = new JsonObject(json.stdout());
    assertEquals(new JsonArray(List.of(request.cid().toString())), body.getJsonArray("heads"));
    assertEquals("2026-05-04", body.getString("businessDate"));
    JsonObject loan = body.getJsonArray("loans").getJsonObject(0);
    assertEquals(request.cid().toString(), loan.getString("id"));
    assertEquals("submitted", loan.getString("status"));
    assertEquals("2500.00", loan.getJsonObject("principal").getString("amount"));
    Cli.Result table = cli.run("lending", "loans");
    String row = table.lines().get(1);
    assertTrue(row.startsWith(request.cid().toString()) && row.contains("submitted"), row);
    assertTrue(table.stdout().contains("at heads " + request.cid()), table.stdout());
  }

  @Test
  void anUnknownLoanFailsWithThePluginsReason() throws Exception {
    Cli cli = startDaemon();
    Cli.Result r = cli.run("lending", "loan", "bafynope");
    assertEquals(1, r.code());
    assertEquals("Error: no loan bafynope at heads \n", r.stderr().replace("\r", ""));
  }

  @Test
  void theViewsNeedARunningDaemon() {
    Cli cli = new Cli(temp.resolve("offline"));
    Cli.Result r = cli.run("lending", "loans");
    assertEquals(1, r.code());
    assertTrue(r.stderr().contains("must be run in online mode"), r.stderr());
  }
}
