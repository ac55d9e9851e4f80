package dev.tally.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally lending positions [LENDER]}: lenders' parts and cash flows (positions plugin). */
@Command(
    name = "positions",
    description =
        "Without LENDER: every lender's totals. With LENDER: its parts, cash flows and transfers"
            + " (needs a running daemon).")
final class LendingPositionsCommand implements Callable<Integer> {
  @Mixin RepoOption repo;
  @Mixin EncodingOption enc;

  @Parameters(arity = "0..1", paramLabel = "LENDER", description = "A lender's party id.")
  String lender;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    String path = lender == null ? "/lenders" : "/lenders/" + PluginViews.segment(lender);
    JsonObject body = PluginViews.get(repo.path(), "positions", path, List.of());
    PrintWriter out = spec.commandLine().getOut();
    if (enc.json()) {
      out.println(body.encode());
      return 0;
    }
    if (lender == null) {
      TextTable t =
          new TextTable("LENDER", ">PARTS", "CCY", ">OUTSTANDING", ">RECEIVED", ">ACCRUED");
      for (Object o : body.getJsonArray("lenders")) {
        JsonObject l = (JsonObject) o;
        for (Object c : l.getJsonArray("currencies")) {
          JsonObject cur = (JsonObject) c;
          t.row(
              l.getString("lender"),
              l.getInteger("parts"),
              cur.getString("currency"),
              PluginViews.amount(cur.getJsonObject("outstandingPrincipal")),
              PluginViews.amount(cur.getJsonObject("received")),
              PluginViews.amount(cur.getJsonObject("accruedInterest")));
        }
      }
      t.print(out);
    } else {
      TextTable parts =
          new TextTable("LOAN", "PART", ">PRINCIPAL", ">OUTSTANDING", ">RECEIVED", ">ACCRUED");
      for (Object o : body.getJsonArray("parts")) {
        JsonObject p = (JsonObject) o;
        parts.row(
            p.getString("loan"),
            p.getString("part"),
            PluginViews.amount(p.getJsonObject("principal")),
            PluginViews.amount(p.getJsonObject("outstandingPrincipal")),
            PluginViews.amount(p.getJsonObject("received").getJsonObject("total")),
            PluginViews.amount(p.getJsonObject("accruedInterest")));
      }
      parts.print(out);
      out.println();
      TextTable flows = new TextTable("DATE", "KIND", "LOAN", "PART", ">AMOUNT");
      for (Object o : body.getJsonArray("cashFlows")) {
        JsonObject f = (JsonObject) o;
        flows.row(
            f.getString("valueDate"),
            f.getString("kind"),
            f.getString("loan"),
            f.getString("part"),
            PluginViews.amount(f.getJsonObject("amount").getJsonObject("total")));
      }
      flows.print(out);
      if (!body.getJsonArray("transfers").isEmpty()) {
        out.println();
        TextTable tr =
            new TextTable("SETTLED", "LOAN", "PART", "SELLER", "BUYER", ">PRINCIPAL", ">PRICE");
        for (Object o : body.getJsonArray("transfers")) {
          JsonObject x = (JsonObject) o;
          tr.row(
              x.getString("settlementDate"),
              x.getString("loan"),
              x.getString("part"),
              x.getString("seller"),
              x.getString("buyer"),
              PluginViews.amount(x.getJsonObject("principal")),
              PluginViews.amount(x.getJsonObject("price")));
        }
        tr.print(out);
      }
    }
    out.println(PluginViews.reflects(body));
    return 0;
  }
}
