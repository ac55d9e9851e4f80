package dev.tally.it.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v0/lending/append} on a running daemon: records are judged as every peer's fold will
 * judge them; invalid ones are refused with the reason and never reach the log.
 */
class LendingRpcTest {
  @TempDir Path temp;

  private Daemon daemon;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.stop();
    }
  }

  private String url() {
    String[] parts = daemon.apiAddress().toString().split("/");
    return "http://" + parts[2] + ":" + parts[4];
  }

  private HttpResponse<String> post(String command) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url() + "/api/v0/" + command))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> append(String log, String record) throws Exception {
    return RpcUpload.post(
        url(),
        "lending/append?arg=" + URLEncoder.encode(log, StandardCharsets.UTF_8),
        "record.json",
        record.getBytes(StandardCharsets.UTF_8));
  }

  private static String cidOf(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("Cid");
  }

  @Test
  void appendsValidRecordsAndRefusesInvalidOnesWithTheReason() throws Exception {
    Repo repo = Repo.init(temp.resolve("node"), RepoConfig.testProfile());
    daemon = Daemon.start(repo, "it", HttpLimits.defaults());
    HttpResponse<String> created = post("log/create?arg=loans");
    assertEquals(200, created.statusCode(), created.body());
    String log = new JsonObject(created.body()).getString("Log");

    String request =
        "{\"kind\":\"LoanRequested\",\"schema\":1,\"valueDate\":\"2026-01-10\",\"body\":{"
            + "\"amount\":{\"currency\":\"EUR\",\"minor\":1000000},\"periods\":12,\"every\":1,"
            + "\"purpose\":\"working-capital\",\"maxRate\":150000,\"amortization\":\"equal-installments\","
            + "\"expiry\":\"2026-02-10\"}}";
    HttpResponse<String> noRole = append(log, request);
    assertEquals(400, noRole.statusCode(), noRole.body());
    assertTrue(noRole.body().contains("LoanRequested needs the borrower role"), noRole.body());

    cidOf(
        append(
            log,
            "{\"kind\":\"PartyRegistered\",\"schema\":1,\"valueDate\":\"2026-01-10\",\"body\":{\"roles\":[\"borrower\"]}}"));
    String loan = cidOf(append(log, request));

    String repay =
        "{\"kind\":\"RepaymentReceived\",\"schema\":1,\"loan\":{\"/\":\"%s\"},\"refs\":[{\"/\":\"%s\"}],"
            + "\"valueDate\":\"2026-01-20\",\"body\":{\"amount\":{\"currency\":\"EUR\",\"minor\":%s},"
            + "\"reference\":{\"/\":{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}}}}";
    HttpResponse<String> early = append(log, String.format(repay, loan, loan, "88849"));
    assertEquals(400, early.statusCode(), early.body());
    assertTrue(
        early.body().contains("RepaymentReceived is not allowed on a loan in status 100"),
        early.body());
    String unknown = "bafyreigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
    HttpResponse<String> nowhere = append(log, String.format(repay, unknown, unknown, "88849"));
    assertEquals(400, nowhere.statusCode(), nowhere.body());
    assertTrue(nowhere.body().contains("unknown loan " + unknown), nowhere.body());
    HttpResponse<String> smuggled = append(log, String.format(repay, loan, loan, "\"888.49\""));
    assertEquals(400, smuggled.statusCode(), smuggled.body());
    assertTrue(
        smuggled.body().contains("must be an integer of minor units, found a string"),
        smuggled.body());

    HttpResponse<String> ls = post("log/ls?arg=" + log);
    assertEquals(
        2,
        ls.body().strip().lines().count(),
        "only the registration and the request: " + ls.body());

    // The CLI goes through the running daemon (which holds the repo): it folds the daemon's
    // replica to build the record, and the daemon judges it again before appending.
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code =
        dev.tally.cli.Main.run(
            new String[] {
              "lending",
              "withdraw",
              log,
              "--loan",
              loan,
              "--reason",
              "no-longer-needed",
              "--value-date",
              "2026-01-21",
              "--repo",
              temp.resolve("node").toString()
            },
            new java.io.ByteArrayInputStream(new byte[0]),
            new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    err.reset();
    code =
        dev.tally.cli.Main.run(
            new String[] {
              "lending",
              "disburse",
              log,
              "--loan",
              loan,
              "--amount",
              "10000.00",
              "--repo",
              temp.resolve("node").toString()
            },
            new java.io.ByteArrayInputStream(new byte[0]),
            new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(1, code);
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("not allowed on a loan in status 400"),
        err.toString(StandardCharsets.UTF_8));
    HttpResponse<String> flagged = post("lending/flagged?arg=" + log);
    assertEquals(0, new JsonObject(flagged.body()).getJsonArray("Flagged").size(), flagged.body());
  }

  private static String q(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  private static void refused(HttpResponse<String> r, String reason) {
    assertEquals(400, r.statusCode(), r.body());
    String message = new JsonObject(r.body()).getString("Message");
    assertTrue(message.contains(reason), "expected \"" + reason + "\" in " + message);
  }

  @Test
  void everyRecordCommandHasAnEndpointTakingTheCliOptionsAndRefusingBadInputWithTheReason()
      throws Exception {
    Repo repo = Repo.init(temp.resolve("forms"), RepoConfig.testProfile());
    daemon = Daemon.start(repo, "it", HttpLimits.defaults());
    String log = new JsonObject(post("log/create?arg=loans").body()).getString("Log");
    String at = "?arg=" + q(log);
    for (String command :
        List.of(
            "register",
            "request",
            "offer",
            "withdraw",
            "reject",
            "propose",
            "consent",
            "cancel",
            "disburse",
            "repay",
            "charge",
            "waive",
            "reschedule",
            "write-off",
            "transfer-part",
            "reverse")) {
      // Each exists: without its required options it is refused with what is missing (not 404).
      HttpResponse<String> bare = post("lending/" + command + at + "&value-date=2026-01-10");
      assertEquals(400, bare.statusCode(), command + ": " + bare.body());
    }
    refused(
        post("lending/register" + at + "&role=borrower&colour=red"), "has no option \"colour\"");
    cidOf(post("lending/register" + at + "&role=borrower&role=lender&role=servicer"));
    String request =
        "lending/request"
            + at
            + "&amount=10000.00&currency=EUR&periods=12&max-rate=15"
            + "&value-date=2026-01-05";
    refused(post(request.replace("10000.00", "1e4")), "1e4");
    refused(post(request.replace("EUR", "XAU")), "XAU");
    refused(
        post(request.replace("10000.00", "99999999999999999999.00")), "99999999999999999999.00");
    refused(post(request.replace("&periods=12", "&periods=twelve")), "periods");
    String loan = cidOf(post(request));
    String unknown = "bafyreigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
    refused(
        post("lending/repay" + at + "&loan=" + unknown + "&amount=888.49&value-date=2026-02-15"),
        "unknown loan " + unknown);
    refused(
        post("lending/repay" + at + "&loan=" + loan + "&amount=888.49&value-date=2026-01-06"),
        "not allowed on a loan in status 100");
    refused(
        post("lending/consent" + at + "&proposal=" + loan + "&value-date=2026-01-06"),
        "no pending proposal " + loan);
    String offer =
        cidOf(
            post(
                "lending/offer"
                    + at
                    + "&loan="
                    + loan
                    + "&amount=10000.00&rate=12&value-date=2026-01-10"));
    refused(
        post(
            "lending/offer"
                + at
                + "&loan="
                + loan
                + "&amount=100.00&currency=USD&rate=12&value-date=2026-01-10"),
        "has no option \"currency\"");
    // One party holding every role needs nobody else's consent: the agreement is effective at once.
    cidOf(
        post(
            "lending/propose"
                + at
                + "&loan="
                + loan
                + "&part=a="
                + q(offer)
                + "&late-fee=25.00&value-date=2026-01-15"));
    cidOf(post("lending/disburse" + at + "&loan=" + loan + "&value-date=2026-01-15"));
    refused(
        post("lending/disburse" + at + "&loan=" + loan + "&amount=0.01&value-date=2026-01-16"),
        "more than the principal");
    cidOf(post("lending/repay" + at + "&loan=" + loan + "&amount=888.49&value-date=2026-02-15"));
    refused(
        post("lending/charge" + at + "&loan=" + loan + "&installment=99&value-date=2026-02-16"),
        "installment");
    HttpResponse<String> flagged = post("lending/flagged" + at);
    assertEquals(0, new JsonObject(flagged.body()).getJsonArray("Flagged").size(), flagged.body());
    HttpResponse<String> ls = post("log/ls" + at);
    assertEquals(
        6,
        ls.body().strip().lines().count(),
        "only what was accepted reached the log: " + ls.body());
  }
}
