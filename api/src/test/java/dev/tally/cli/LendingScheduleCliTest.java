package dev.tally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tally lending schedule}, the calculator, against the RECORDS.md vectors. */
class LendingScheduleCliTest {
  @TempDir Path tmp;

  private Cli.Result run(String... args) {
    return new Cli(tmp.resolve("repo")).run(args);
  }

  private static final String[] BASE = {
    "lending",
    "schedule",
    "--principal",
    "10000.00",
    "--currency",
    "EUR",
    "--rate",
    "12",
    "--periods",
    "12",
    "--disbursement-date",
    "2026-01-15"
  };

  private static String[] with(String... extra) {
    String[] all = new String[BASE.length + extra.length];
    System.arraycopy(BASE, 0, all, 0, BASE.length);
    System.arraycopy(extra, 0, all, BASE.length, extra.length);
    return all;
  }

  @Test
  void printsTheEqualInstallmentsVectorAsJson() {
    Cli.Result r = run(with("--method", "equal-installments", "--enc", "json"));
    assertEquals(0, r.code(), r.stderr());
    JsonObject s = new JsonObject(r.stdout());
    JsonArray rows = s.getJsonArray("rows");
    assertEquals(12, rows.size());
    assertEquals("888.49", rows.getJsonObject(0).getString("installment"));
    assertEquals("92.12", rows.getJsonObject(1).getString("interest"));
    assertEquals("7610.80", rows.getJsonObject(2).getString("balance"));
    assertEquals("888.47", rows.getJsonObject(11).getString("installment"));
    assertEquals("661.86", s.getString("totalInterest"));
    assertEquals("2026-02-15", rows.getJsonObject(0).getString("due"));
  }

  @Test
  void printsTheEqualPrincipalVectorAsATable() {
    Cli.Result r = run(with("--method", "equal-principal"));
    assertEquals(0, r.code(), r.stderr());
    List<String> lines = r.lines();
    assertEquals(14, lines.size(), r.stdout());
    assertTrue(
        lines
            .get(1)
            .matches("\\s+1\\s+2026-02-15\\s+833\\.33\\s+100\\.00\\s+933\\.33\\s+9166\\.67"),
        lines.get(1));
    assertTrue(lines.get(12).contains("841.70"), lines.get(12));
    assertTrue(
        lines.get(13).matches("\\s+total\\s+10000\\.00\\s+650\\.00\\s+10650\\.00\\s*"),
        lines.get(13));
  }

  @Test
  void thirtyOver360DailyInterestGivesTheSameMonthlyVector() {
    Cli.Result r = run(with("--days-in-year", "360", "--days-in-month", "30", "--enc", "json"));
    assertEquals(0, r.code(), r.stderr());
    JsonObject s = new JsonObject(r.stdout());
    assertEquals("daily", s.getString("interestPeriod"));
    assertEquals("661.86", s.getString("totalInterest"));
  }

  @Test
  void touchesNoRepo() {
    assertEquals(0, run(with()).code());
    assertFalse(Files.exists(tmp.resolve("repo")));
  }

  @Test
  void refusesBadInputWithTheReason() {
    Cli.Result gold =
        run(
            "lending",
            "schedule",
            "--principal",
            "1",
            "--currency",
            "XAU",
            "--rate",
            "1",
            "--periods",
            "1");
    assertEquals(1, gold.code());
    assertTrue(gold.stderr().contains("XAU has no minor units"), gold.stderr());
    Cli.Result cents =
        run(
            "lending",
            "schedule",
            "--principal",
            "1.001",
            "--currency",
            "EUR",
            "--rate",
            "1",
            "--periods",
            "1");
    assertTrue(cents.stderr().contains("more decimal places than EUR"), cents.stderr());
    Cli.Result method = run(with("--method", "balloon"));
    assertTrue(
        method
            .stderr()
            .contains("amortization \"balloon\" is not one of equal-installments, equal-principal"),
        method.stderr());
  }
}
