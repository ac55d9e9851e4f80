package dev.tally.plugins.positions;

import static dev.tally.plugin.spi.json.LendingJson.components;
import static dev.tally.plugin.spi.json.LendingJson.money;

import dev.tally.plugin.spi.PluginContext;
import dev.tally.plugin.spi.SpiVersion;
import dev.tally.plugin.spi.TallyPlugin;
import dev.tally.plugin.spi.http.PluginRequest;
import dev.tally.plugin.spi.http.PluginResponse;
import dev.tally.plugin.spi.http.RouteException;
import dev.tally.plugin.spi.json.JsonWriter;
import dev.tally.plugin.spi.json.LendingJson;
import dev.tally.plugin.spi.lending.CashFlow;
import dev.tally.plugin.spi.lending.Components;
import dev.tally.plugin.spi.lending.LendingSnapshot;
import dev.tally.plugin.spi.lending.Money;
import dev.tally.plugin.spi.lending.Part;
import dev.tally.plugin.spi.lending.PartTransfer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Serves lender positions under {@code /plugins/positions/}:
 *
 * <ul>
 *   <li>{@code GET /lenders} every lender with its part count and sums per currency;
 *   <li>{@code GET /lenders/{lender}} its parts (principal, outstanding, received by component,
 *       accrued interest), cash flows and transfers;
 *   <li>{@code GET /transfers?loan=} the secondary-market history, oldest first.
 * </ul>
 *
 * Every answer names the heads and business date it reflects; the figures are the lending state's
 * (this plugin indexes them by lender).
 */
public final class PositionsPlugin implements TallyPlugin {
  public static final String NAME = "positions";

  private volatile PositionIndex index;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String spiVersion() {
    return SpiVersion.CURRENT;
  }

  @Override
  public void start(PluginContext context) {
    context.routes().get("/lenders", r -> lenders(index(context.lending())));
    context.routes().get("/lenders/{lender}", r -> lender(index(context.lending()), r));
    context.routes().get("/transfers", r -> transfers(index(context.lending()), r));
  }

  @Override
  public void stop() {}

  private PositionIndex index(LendingSnapshot s) {
    PositionIndex i = index;
    if (i == null || !i.reflects(s)) {
      i = new PositionIndex(s);
      index = i;
    }
    return i;
  }

  private static JsonWriter begin(PositionIndex i) {
    JsonWriter w = new JsonWriter().beginObject();
    LendingJson.heads(w, "heads", i.heads);
    return w.field("businessDate", i.businessDate.toString());
  }

  private static PluginResponse lenders(PositionIndex i) {
    JsonWriter w = begin(i).name("lenders").beginArray();
    for (Map.Entry<String, List<PositionIndex.Holding>> e : i.holdings.entrySet()) {
      Map<String, Money[]> sums = new TreeMap<>();
      for (PositionIndex.Holding h : e.getValue()) {
        Part p = h.part();
        Money[] s =
            sums.computeIfAbsent(
                h.loan().currency(),
                c -> {
                  Money z = Money.zero(c, p.principal().exponent());
                  return new Money[] {z, z, z};
                });
        s[0] = s[0].plus(p.outstandingPrincipal());
        s[1] = s[1].plus(p.received().total());
        s[2] = s[2].plus(p.accruedInterest());
      }
      w.beginObject().field("lender", e.getKey()).field("parts", e.getValue().size());
      w.name("currencies").beginArray();
      for (Map.Entry<String, Money[]> s : sums.entrySet()) {
        w.beginObject().field("currency", s.getKey());
        money(w, "outstandingPrincipal", s.getValue()[0]);
        money(w, "received", s.getValue()[1]);
        money(w, "accruedInterest", s.getValue()[2]);
        w.endObject();
      }
      w.endArray().endObject();
    }
    return PluginResponse.json(w.endArray().endObject().toString());
  }

  private static PluginResponse lender(PositionIndex i, PluginRequest r) {
    String lender = r.pathParam("lender");
    List<PositionIndex.Holding> holdings = i.holdings.getOrDefault(lender, List.of());
    List<PositionIndex.Flow> flows = i.flows.getOrDefault(lender, List.of());
    List<PositionIndex.Transfer> transfers = i.transfersByLender.getOrDefault(lender, List.of());
    if (holdings.isEmpty() && flows.isEmpty() && transfers.isEmpty()) {
      throw RouteException.notFound(
          "lender " + lender + " holds no part and has no history at heads " + i.heads);
    }
    JsonWriter w = begin(i).field("lender", lender).name("parts").beginArray();
    for (PositionIndex.Holding h : holdings) {
      Part p = h.part();
      w.beginObject()
          .field("loan", h.loan().id())
          .field("part", p.id())
          .field("loanStatus", h.loan().status().name().toLowerCase(Locale.ROOT));
      money(w, "principal", p.principal());
      money(w, "outstandingPrincipal", p.outstandingPrincipal());
      components(w, "received", p.received());
      money(w, "accruedInterest", p.accruedInterest());
      w.name("origin");
      optional(w, p.origin());
      w.endObject();
    }
    w.endArray().name("cashFlows").beginArray();
    for (PositionIndex.Flow f : flows) {
      flow(w, f.loan().id(), f.flow());
    }
    w.endArray().name("transfers").beginArray();
    for (PositionIndex.Transfer t : transfers) {
      transfer(w, t.loan().id(), t.transfer());
    }
    return PluginResponse.json(w.endArray().endObject().toString());
  }

  private static PluginResponse transfers(PositionIndex i, PluginRequest r) {
    Optional<String> loan = r.query("loan");
    JsonWriter w = begin(i).name("transfers").beginArray();
    for (PositionIndex.Transfer t : i.transfers) {
      if (loan.isEmpty() || loan.get().equals(t.loan().id())) {
        transfer(w, t.loan().id(), t.transfer());
      }
    }
    return PluginResponse.json(w.endArray().endObject().toString());
  }

  private static void flow(JsonWriter w, String loan, CashFlow f) {
    w.beginObject()
        .field("loan", loan)
        .field("part", f.part())
        .field("entry", f.entry())
        .field("valueDate", f.valueDate().toString())
        .field("kind", f.kind().name().toLowerCase(Locale.ROOT));
    Components c = f.amount();
    components(w, "amount", c);
    w.endObject();
  }

  private static void transfer(JsonWriter w, String loan, PartTransfer t) {
    w.beginObject()
        .field("loan", loan)
        .field("part", t.part())
        .field("newPart", t.newPart())
        .field("entry", t.entry())
        .field("seller", t.seller())
        .field("buyer", t.buyer())
        .field("settlementDate", t.settlementDate().toString())
        .field("accruedInterestTo", t.accruedInterestToBuyer() ? "buyer" : "seller");
    money(w, "principal", t.principal());
    money(w, "price", t.price());
    w.endObject();
  }

  private static void optional(JsonWriter w, Optional<String> v) {
    if (v.isPresent()) {
      w.value(v.get());
    } else {
      w.nullValue();
    }
  }
}
