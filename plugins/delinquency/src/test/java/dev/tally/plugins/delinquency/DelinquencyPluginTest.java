package dev.tally.plugins.delinquency;

import static dev.tally.plugin.spi.fixtures.Views.eur;
import static dev.tally.plugin.spi.fixtures.Views.loan;
import static dev.tally.plugin.spi.fixtures.Views.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tally.plugin.spi.fixtures.FakeContext;
import dev.tally.plugin.spi.http.RouteException;
import dev.tally.plugin.spi.lending.Components;
import dev.tally.plugin.spi.lending.Loan;
import dev.tally.plugin.spi.lending.LoanStatus;
import dev.tally.plugin.spi.lending.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DelinquencyPluginTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 6, 30);

  private static Loan eurLoan(String id, int dpd, long principalMinor) {
    return loan(id)
        .outstanding(eur(principalMinor, 0, 0, 0))
        .overdue(dpd, TODAY.minusDays(dpd))
        .build();
  }

  /** Six active EUR loans, 21,000.00 outstanding, one USD loan and one closed EUR loan. */
  private static FakeContext context(Map<String, String> config) {
    Money usd = new Money("USD", 10_000, 2);
    Money zero = new Money("USD", 0, 2);
    FakeContext ctx =
        new FakeContext(
            snapshot(
                "bafyh",
                TODAY,
                eurLoan("l0", 0, 100_000),
                eurLoan("l1", 5, 200_000),
                eurLoan("l2", 30, 300_000),
                eurLoan("l3", 31, 400_000),
                eurLoan("l4", 61, 500_000),
                eurLoan("l5", 91, 600_000),
                loan("l6")
                    .money(usd, new Components(usd, zero, zero, zero))
                    .overdue(120, TODAY.minusDays(120))
                    .build(),
                loan("l7")
                    .status(LoanStatus.CLOSED_OBLIGATIONS_MET)
                    .outstanding(eur(0, 0, 0, 0))
                    .build()),
            config);
    new DelinquencyPlugin().start(ctx);
    return ctx;
  }

  @Test
  void bucketsActiveLoansAndComputesParPerCurrency() throws Exception {
    JsonObject r = new JsonObject(context(Map.of()).get("/report", Map.of()));
    assertEquals(new JsonArray(List.of("bafyh")), r.getJsonArray("heads"));
    JsonObject eurReport = r.getJsonArray("currencies").getJsonObject(0);
    assertEquals("EUR", eurReport.getString("currency"));
    assertEquals(6, eurReport.getInteger("activeLoans"));
    assertEquals("21000.00", eurReport.getJsonObject("outstandingPrincipal").getString("amount"));
    JsonArray buckets = eurReport.getJsonArray("buckets");
    assertEquals(
        List.of("current", "1-30", "31-60", "61-90", "91+"),
        buckets.stream().map(o -> ((JsonObject) o).getString("bucket")).toList());
    assertEquals(
        List.of(1, 2, 1, 1, 1),
        buckets.stream().map(o -> ((JsonObject) o).getInteger("loans")).toList());
    assertEquals(
        List.of("1000.00", "5000.00", "4000.00", "5000.00", "6000.00"),
        buckets.stream()
            .map(o -> ((JsonObject) o).getJsonObject("outstandingPrincipal").getString("amount"))
            .toList());
    JsonArray par = eurReport.getJsonArray("portfolioAtRisk");
    // PAR30: (4,000 + 5,000 + 6,000) / 21,000; PAR90: 6,000 / 21,000.
    assertEquals("PAR30", par.getJsonObject(0).getString("name"));
    assertEquals("15000.00", par.getJsonObject(0).getJsonObject("atRisk").getString("amount"));
    assertEquals("0.7143", par.getJsonObject(0).getString("ratio"));
    assertEquals("0.2857", par.getJsonObject(1).getString("ratio"));
    JsonObject usd = r.getJsonArray("currencies").getJsonObject(1);
    assertEquals("USD", usd.getString("currency"));
    assertEquals("1.0000", usd.getJsonArray("portfolioAtRisk").getJsonObject(1).getString("ratio"));
  }

  @Test
  void bucketsAndParThresholdsComeFromTheConfig() throws Exception {
    JsonObject r =
        new JsonObject(context(Map.of("buckets", "7,30", "par", "1")).get("/report", Map.of()));
    JsonObject eurReport = r.getJsonArray("currencies").getJsonObject(0);
    assertEquals(
        List.of("current", "1-7", "8-30", "31+"),
        eurReport.getJsonArray("buckets").stream()
            .map(o -> ((JsonObject) o).getString("bucket"))
            .toList());
    assertEquals(
        "0.9524", eurReport.getJsonArray("portfolioAtRisk").getJsonObject(0).getString("ratio"));
  }

  @Test
  void listsOverdueLoansMostDaysPastDueFirst() throws Exception {
    FakeContext ctx = context(Map.of());
    JsonArray all = new JsonObject(ctx.get("/loans", Map.of())).getJsonArray("loans");
    assertEquals(
        List.of("l6", "l5", "l4", "l3", "l2", "l1"),
        all.stream().map(o -> ((JsonObject) o).getString("id")).toList());
    JsonArray over60 =
        new JsonObject(ctx.get("/loans", Map.of(), "min-days", "61")).getJsonArray("loans");
    assertEquals(3, over60.size());
    JsonArray bucket =
        new JsonObject(ctx.get("/loans", Map.of(), "bucket", "31-60")).getJsonArray("loans");
    assertEquals("l3", bucket.getJsonObject(0).getString("id"));
    assertEquals(1, bucket.size());
    JsonObject one =
        new JsonObject(ctx.get("/loans/{id}", Map.of("id", "l4"))).getJsonObject("loan");
    assertEquals(61, one.getInteger("daysPastDue"));
    assertEquals("61-90", one.getString("bucket"));
    assertEquals("2026-04-30", one.getString("overdueSince"));
    assertEquals(
        400,
        assertThrows(RouteException.class, () -> ctx.get("/loans", Map.of(), "bucket", "90+"))
            .status());
  }

  @Test
  void refusesBucketsThatDoNotIncrease() {
    assertThrows(IllegalArgumentException.class, () -> context(Map.of("buckets", "30,30")));
    assertThrows(IllegalArgumentException.class, () -> context(Map.of("buckets", "thirty")));
  }
}
