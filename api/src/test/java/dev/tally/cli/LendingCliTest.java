package dev.tally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tally lending} record commands on one repo, as a user runs them. */
class LendingCliTest {
  @TempDir Path tmp;

  private static String one(Cli.Result r) {
    assertEquals(0, r.code(), r.stderr());
    assertEquals(1, r.lines().size(), r.stdout());
    return r.lines().get(0);
  }

  private static void refused(Cli.Result r, String reason) {
    assertEquals(1, r.code(), r.stdout());
    assertTrue(r.stderr().contains(reason), r.stderr());
  }

  @Test
  void aWholeLoanLifeOnOneNodeThatHoldsEveryRole() {
    Cli cli = new Cli(tmp.resolve("repo"));
    String log = one(cli.run("log", "create", "loans"));
    String me =
        one(
            cli.run(
                "lending",
                "register",
                log,
                "--role",
                "borrower",
                "--role",
                "lender",
                "--role",
                "servicer",
                "--value-date",
                "2026-01-10"));
    assertTrue(me.startsWith("bafy"), me);
    String loan =
        one(
            cli.run(
                "lending",
                "request",
                log,
                "--amount",
                "10000.00",
                "--currency",
                "EUR",
                "--periods",
                "12",
                "--max-rate",
                "15",
                "--value-date",
                "2026-01-10"));
    String offer =
        one(
            cli.run(
                "lending",
                "offer",
                log,
                "--loan",
                loan,
                "--amount",
                "10000.00",
                "--rate",
                "12",
                "--value-date",
                "2026-01-11"));
    // Borrower, only lender and servicer at once: the proposal needs no other consent.
    one(
        cli.run(
            "lending",
            "propose",
            log,
            "--loan",
            loan,
            "--part",
            "a=" + offer,
            "--value-date",
            "2026-01-15",
            "--late-fee",
            "25.00"));
    one(cli.run("lending", "disburse", log, "--loan", loan, "--value-date", "2026-01-15"));
    one(
        cli.run(
            "lending",
            "repay",
            log,
            "--loan",
            loan,
            "--amount",
            "888.49",
            "--value-date",
            "2026-02-15"));
    refused(
        cli.run(
            "lending",
            "repay",
            log,
            "--loan",
            loan,
            "--amount",
            "1.001",
            "--value-date",
            "2026-02-16"),
        "more decimal places than EUR");
    one(
        cli.run(
            "lending",
            "repay",
            log,
            "--loan",
            loan,
            "--amount",
            "payoff",
            "--value-date",
            "2026-03-01"));
    refused(
        cli.run(
            "lending",
            "repay",
            log,
            "--loan",
            loan,
            "--amount",
            "10",
            "--currency",
            "USD",
            "--value-date",
            "2026-03-02"),
        "Unknown option");
    assertEquals(List.of(), cli.run("lending", "flagged", log).lines());
  }

  @Test
  void refusesInvalidRecordsLocallyWithTheReasonAndAppendsNothing() {
    Cli cli = new Cli(tmp.resolve("repo"));
    String log = one(cli.run("log", "create", "loans"));
    refused(
        cli.run(
            "lending",
            "request",
            log,
            "--amount",
            "100",
            "--currency",
            "EUR",
            "--periods",
            "3",
            "--max-rate",
            "10"),
        "LoanRequested needs the borrower role");
    one(cli.run("lending", "register", log, "--role", "borrower"));
    String loan =
        one(
            cli.run(
                "lending",
                "request",
                log,
                "--amount",
                "100",
                "--currency",
                "EUR",
                "--periods",
                "3",
                "--max-rate",
                "10"));
    List<String> heads = cli.run("log", "heads", log).lines();
    String unknown = "bafyreigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
    refused(
        cli.run("lending", "repay", log, "--loan", unknown, "--amount", "1"),
        "unknown loan " + unknown);
    one(cli.run("lending", "withdraw", log, "--loan", loan, "--reason", "no-longer-needed"));
    refused(
        cli.run("lending", "disburse", log, "--loan", loan, "--amount", "100"),
        "Disbursed is not allowed on a loan in status 400 (withdrawn)");
    refused(cli.run("lending", "consent", log, "--proposal", loan), "no pending proposal");
    String smuggled =
        "{\"kind\":\"RepaymentReceived\",\"schema\":1,\"loan\":{\"/\":\""
            + loan
            + "\"},\"refs\":[{\"/\":\""
            + loan
            + "\"}],\"valueDate\":\"2026-02-15\",\"body\":{\"amount\":{\"currency\":\"EUR\",\"minor\":\"888.49\"},"
            + "\"reference\":{\"/\":{\"bytes\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}}}}";
    refused(
        cli.runWithInput(smuggled.getBytes(StandardCharsets.UTF_8), "lending", "append", log),
        "minor must be an integer of minor units, found a string (\"888.49\")");
    assertEquals(
        3,
        cli.run("log", "ls", log).lines().size(),
        "only register, request and withdraw were appended");
    assertTrue(!heads.equals(cli.run("log", "heads", log).lines()));
  }
}
