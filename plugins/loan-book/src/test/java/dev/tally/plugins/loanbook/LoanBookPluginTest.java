package dev.tally.plugins.loanbook;

import static dev.tally.plugin.spi.fixtures.Views.eur;
import static dev.tally.plugin.spi.fixtures.Views.installment;
import static dev.tally.plugin.spi.fixtures.Views.loan;
import static dev.tally.plugin.spi.fixtures.Views.snapshot;
import static dev.tally.plugin.spi.fixtures.Views.vectorRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tally.plugin.spi.fixtures.FakeContext;
import dev.tally.plugin.spi.http.RouteException;
import dev.tally.plugin.spi.lending.Loan;
import dev.tally.plugin.spi.lending.LoanStatus;
import dev.tally.plugin.spi.lending.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoanBookPluginTest {
  private static final LocalDate JAN = LocalDate.of(2026, 1, 1);
  private FakeContext ctx;

  /** The vector loan, installment 1 paid (888.49) and 400.00 of installment 2 paid. */
  private static Loan vectorLoan() {
    List<dev.tally.plugin.spi.lending.Components> rows = vectorRows();
    return loan("bafyloan2")
        .outstanding(eur(1_000_000 - 78849 - (40000 - 9212), 8415, 0, 0))
        .installment(installment(1, JAN.plusMonths(1), rows.get(0), 88849))
        .installment(installment(2, JAN.plusMonths(2), rows.get(1), 40000))
        .installment(installment(3, JAN.plusMonths(3), rows.get(2), 0))
        .part("p1", "lender-a", 600_000, 500_000)
        .part("p2", "lender-b", 400_000, 300_000)
        .build();
  }

  @BeforeEach
  void start() {
    ctx =
        new FakeContext(
            snapshot(
                "bafyhead1,bafyhead2",
                JAN.plusMonths(2),
                vectorLoan(),
                loan("bafyloan1").status(LoanStatus.SUBMITTED).borrower("borrower-2").build(),
                loan("bafyloan3")
                    .money(
                        new Money("JPY", 500_000, 0),
                        new dev.tally.plugin.spi.lending.Components(
                            new Money("JPY", 500_000, 0),
                            new Money("JPY", 0, 0),
                            new Money("JPY", 0, 0),
                            new Money("JPY", 0, 0)))
                    .build()),
            Map.of());
    new LoanBookPlugin().start(ctx);
  }

  @Test
  void aLoanShowsItsNextDueAsTheUnpaidRestOfTheOldestOpenInstallment() throws Exception {
    JsonObject body = new JsonObject(ctx.get("/loans/{id}", Map.of("id", "bafyloan2")));
    assertEquals(new JsonArray(List.of("bafyhead1", "bafyhead2")), body.getJsonArray("heads"));
    assertEquals("2026-03-01", body.getString("businessDate"));
    JsonObject loan = body.getJsonObject("loan");
    assertEquals("active", loan.getString("status"));
    assertEquals(300, loan.getInteger("statusCode"));
    JsonObject next = loan.getJsonObject("nextDue");
    assertEquals(2, next.getInteger("number"));
    assertEquals("2026-03-01", next.getString("dueDate"));
    // 888.49 due (796.37 principal + 92.12 interest), 400.00 paid: 488.49 left.
    assertEquals("488.49", next.getJsonObject("amount").getString("amount"));
    assertEquals(48849, next.getJsonObject("amount").getLong("minor"));
    assertEquals("12.0000", loan.getString("annualRatePercent"));
    JsonArray schedule = loan.getJsonArray("schedule");
    assertEquals(3, schedule.size());
    JsonObject first = schedule.getJsonObject(0);
    assertEquals(true, first.getBoolean("settled"));
    assertEquals(
        "100.00", first.getJsonObject("due").getJsonObject("interest").getString("amount"));
    assertEquals("888.49", first.getJsonObject("paid").getJsonObject("total").getString("amount"));
    JsonObject second = schedule.getJsonObject(1);
    assertEquals(false, second.getBoolean("settled"));
    assertEquals(
        "92.12", second.getJsonObject("paid").getJsonObject("interest").getString("amount"));
    assertEquals(
        "307.88", second.getJsonObject("paid").getJsonObject("principal").getString("amount"));
    assertEquals(
        "488.49", second.getJsonObject("outstanding").getJsonObject("total").getString("amount"));
    assertEquals(2, loan.getJsonArray("parts").size());
  }

  @Test
  void listsLoansInIdOrderAPageAtATimeWithFilters() throws Exception {
    JsonObject all = new JsonObject(ctx.get("/loans", Map.of()));
    assertEquals(
        List.of("bafyloan1", "bafyloan2", "bafyloan3"),
        all.getJsonArray("loans").stream().map(o -> ((JsonObject) o).getString("id")).toList());
    JsonObject page1 = new JsonObject(ctx.get("/loans", Map.of(), "limit", "2"));
    assertEquals(2, page1.getJsonArray("loans").size());
    assertEquals("bafyloan2", page1.getString("next"));
    JsonObject page2 =
        new JsonObject(ctx.get("/loans", Map.of(), "limit", "2", "after", "bafyloan2"));
    assertEquals("bafyloan3", page2.getJsonArray("loans").getJsonObject(0).getString("id"));
    assertEquals(null, page2.getValue("next"));
    assertEquals(1, count("status", "submitted"));
    assertEquals(2, count("status", "300"));
    assertEquals(1, count("currency", "jpy"));
    assertEquals(1, count("lender", "lender-b"));
    assertEquals(1, count("borrower", "borrower-2"));
  }

  private int count(String filter, String value) throws Exception {
    return new JsonObject(ctx.get("/loans", Map.of(), filter, value)).getJsonArray("loans").size();
  }

  @Test
  void refusesUnknownStatusesAndLoansWithAReason() {
    RouteException bad =
        assertThrows(RouteException.class, () -> ctx.get("/loans", Map.of(), "status", "late"));
    assertEquals(400, bad.status());
    RouteException missing =
        assertThrows(
            RouteException.class, () -> ctx.get("/loans/{id}", Map.of("id", "bafynothing")));
    assertEquals(404, missing.status());
    assertEquals("no loan bafynothing at heads bafyhead1,bafyhead2", missing.getMessage());
    assertThrows(RouteException.class, () -> ctx.get("/loans", Map.of(), "limit", "0"));
  }

  @Test
  void totalsArePerCurrencyAndFollowTheSnapshot() throws Exception {
    JsonObject t = new JsonObject(ctx.get("/totals", Map.of()));
    JsonArray currencies = t.getJsonArray("currencies");
    assertEquals(2, currencies.size());
    JsonObject eur = currencies.getJsonObject(0);
    assertEquals("EUR", eur.getString("currency"));
    assertEquals(2, eur.getInteger("loans"));
    assertEquals(1, eur.getJsonObject("byStatus").getInteger("active"));
    assertEquals("20000.00", eur.getJsonObject("principal").getString("amount"));
    // The active loan's principal left (10,000.00 - 788.49 - 307.88) plus the submitted 10,000.00.
    assertEquals(
        "18903.63",
        eur.getJsonObject("outstanding").getJsonObject("principal").getString("amount"));
    assertEquals("JPY", currencies.getJsonObject(1).getString("currency"));
    assertEquals(
        "500000", currencies.getJsonObject(1).getJsonObject("principal").getString("amount"));
    ctx.snapshot(snapshot("bafyhead3", JAN, vectorLoan()));
    JsonObject later = new JsonObject(ctx.get("/totals", Map.of()));
    assertEquals(new JsonArray(List.of("bafyhead3")), later.getJsonArray("heads"));
    assertEquals(1, later.getJsonArray("currencies").size());
  }
}
