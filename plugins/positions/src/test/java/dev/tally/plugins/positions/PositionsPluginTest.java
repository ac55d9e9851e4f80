package dev.tally.plugins.positions;

import static dev.tally.plugin.spi.fixtures.Views.eur;
import static dev.tally.plugin.spi.fixtures.Views.loan;
import static dev.tally.plugin.spi.fixtures.Views.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tally.plugin.spi.fixtures.FakeContext;
import dev.tally.plugin.spi.http.RouteException;
import dev.tally.plugin.spi.lending.CashFlowKind;
import dev.tally.plugin.spi.lending.Loan;
import dev.tally.plugin.spi.lending.Part;
import dev.tally.plugin.spi.lending.PartTransfer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two lenders fund the RECORDS.md vector loan 60/40; the first installment (788.49 principal,
 * 100.00 interest) is split by largest remainder (473.09 + 315.40, 60.00 + 40.00); then lender-b
 * sells its part whole to lender-c.
 */
class PositionsPluginTest {
  private static final LocalDate JAN = LocalDate.of(2026, 1, 1);
  private FakeContext ctx;

  private static Loan loan1() {
    return loan("bafyloan1")
        .part(
            new Part(
                "p1",
                "lender-a",
                eur(600_000),
                eur(600_000 - 47309),
                eur(47309, 6000, 0, 0),
                eur(2763),
                Optional.empty()))
        .part(
            new Part(
                "p2",
                "lender-c",
                eur(400_000),
                eur(400_000 - 31540),
                eur(31540, 4000, 0, 0),
                eur(1842),
                Optional.empty()))
        .flow("bafyd", JAN, "p1", "lender-a", CashFlowKind.DISBURSEMENT, eur(600_000, 0, 0, 0))
        .flow("bafyd", JAN, "p2", "lender-b", CashFlowKind.DISBURSEMENT, eur(400_000, 0, 0, 0))
        .flow(
            "bafyr",
            JAN.plusMonths(1),
            "p1",
            "lender-a",
            CashFlowKind.REPAYMENT,
            eur(47309, 6000, 0, 0))
        .flow(
            "bafyr",
            JAN.plusMonths(1),
            "p2",
            "lender-b",
            CashFlowKind.REPAYMENT,
            eur(31540, 4000, 0, 0))
        .flow(
            "bafyt",
            JAN.plusMonths(1).plusDays(10),
            "p2",
            "lender-b",
            CashFlowKind.PART_SOLD,
            eur(370_000, 0, 0, 0))
        .flow(
            "bafyt",
            JAN.plusMonths(1).plusDays(10),
            "p2",
            "lender-c",
            CashFlowKind.PART_BOUGHT,
            eur(370_000, 0, 0, 0))
        .transfer(
            new PartTransfer(
                "bafyt",
                "p2",
                "p2",
                "lender-b",
                "lender-c",
                eur(368_460),
                eur(370_000),
                JAN.plusMonths(1).plusDays(10),
                true))
        .build();
  }

  private static Loan loan2() {
    return loan("bafyloan2").part("q1", "lender-a", 1_000_000, 1_000_000).build();
  }

  @BeforeEach
  void start() {
    ctx = new FakeContext(snapshot("bafyh", JAN.plusMonths(2), loan2(), loan1()), Map.of());
    new PositionsPlugin().start(ctx);
  }

  @Test
  void aLenderSeesItsPartsAcrossLoansWithWhatEachReceivedAndAccrued() throws Exception {
    JsonObject a = new JsonObject(ctx.get("/lenders/{lender}", Map.of("lender", "lender-a")));
    assertEquals(new JsonArray(List.of("bafyh")), a.getJsonArray("heads"));
    JsonArray parts = a.getJsonArray("parts");
    assertEquals(2, parts.size());
    JsonObject p1 = parts.getJsonObject(0);
    assertEquals("bafyloan1", p1.getString("loan"));
    assertEquals("5526.91", p1.getJsonObject("outstandingPrincipal").getString("amount"));
    assertEquals(
        "473.09", p1.getJsonObject("received").getJsonObject("principal").getString("amount"));
    assertEquals("533.09", p1.getJsonObject("received").getJsonObject("total").getString("amount"));
    assertEquals("27.63", p1.getJsonObject("accruedInterest").getString("amount"));
    assertEquals(
        List.of("disbursement", "repayment"),
        a.getJsonArray("cashFlows").stream().map(o -> ((JsonObject) o).getString("kind")).toList());
    assertEquals(0, a.getJsonArray("transfers").size());
  }

  @Test
  void aSellerKeepsItsHistoryAndTheBuyerHoldsThePart() throws Exception {
    JsonObject b = new JsonObject(ctx.get("/lenders/{lender}", Map.of("lender", "lender-b")));
    assertEquals(0, b.getJsonArray("parts").size());
    assertEquals(
        List.of("disbursement", "repayment", "part_sold"),
        b.getJsonArray("cashFlows").stream().map(o -> ((JsonObject) o).getString("kind")).toList());
    JsonObject sale = b.getJsonArray("transfers").getJsonObject(0);
    assertEquals("lender-c", sale.getString("buyer"));
    assertEquals("3684.60", sale.getJsonObject("principal").getString("amount"));
    assertEquals("3700.00", sale.getJsonObject("price").getString("amount"));
    assertEquals("buyer", sale.getString("accruedInterestTo"));
    JsonObject c = new JsonObject(ctx.get("/lenders/{lender}", Map.of("lender", "lender-c")));
    assertEquals("p2", c.getJsonArray("parts").getJsonObject(0).getString("part"));
    assertEquals(1, c.getJsonArray("transfers").size());
  }

  @Test
  void listsLendersWithSumsPerCurrency() throws Exception {
    JsonArray lenders = new JsonObject(ctx.get("/lenders", Map.of())).getJsonArray("lenders");
    assertEquals(
        List.of("lender-a", "lender-c"),
        lenders.stream().map(o -> ((JsonObject) o).getString("lender")).toList());
    JsonObject a = lenders.getJsonObject(0);
    assertEquals(2, a.getInteger("parts"));
    JsonObject eur = a.getJsonArray("currencies").getJsonObject(0);
    // 5,526.91 left of p1 plus the untouched 10,000.00 of q1.
    assertEquals("15526.91", eur.getJsonObject("outstandingPrincipal").getString("amount"));
  }

  @Test
  void transfersAreTheSecondaryMarketHistoryFilteredByLoan() throws Exception {
    assertEquals(
        1, new JsonObject(ctx.get("/transfers", Map.of())).getJsonArray("transfers").size());
    assertEquals(
        0,
        new JsonObject(ctx.get("/transfers", Map.of(), "loan", "bafyloan2"))
            .getJsonArray("transfers")
            .size());
  }

  @Test
  void anUnknownLenderIs404() {
    RouteException e =
        assertThrows(
            RouteException.class, () -> ctx.get("/lenders/{lender}", Map.of("lender", "nobody")));
    assertEquals(404, e.status());
  }
}
