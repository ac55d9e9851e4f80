package dev.tally.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally lending loan ID}: one loan with its schedule and parts (loan-book plugin). */
@Command(
    name = "loan",
    description =
        "Show one loan: terms, outstanding by component, schedule with paid and due, parts"
            + " (needs a running daemon).")
final class LendingLoanCommand implements Callable<Integer> {
  @Mixin RepoOption repo;
  @Mixin EncodingOption enc;

  @Parameters(paramLabel = "ID", description = "The loan id (CID of its request entry).")
  String id;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    JsonObject body =
        PluginViews.get(repo.path(), "loan-book", "/loans/" + PluginViews.segment(id), List.of());
    PrintWriter out = spec.commandLine().getOut();
    if (enc.json()) {
      out.println(body.encode());
      return 0;
    }
    JsonObject l = body.getJsonObject("loan");
    JsonObject o = l.getJsonObject("outstanding");
    out.println("loan        " + l.getString("id"));
    out.println("status      " + l.getString("status") + " (" + l.getInteger("statusCode") + ")");
    out.println("borrower    " + l.getString("borrower"));
    out.println(
        "principal   "
            + PluginViews.amount(l.getJsonObject("principal"))
            + " "
            + l.getString("currency")
            + " at "
            + l.getString("annualRatePercent")
            + " %");
    out.println(
        "outstanding "
            + PluginViews.amount(o.getJsonObject("total"))
            + " (principal "
            + PluginViews.amount(o.getJsonObject("principal"))
            + ", interest "
            + PluginViews.amount(o.getJsonObject("interest"))
            + ", fees "
            + PluginViews.amount(o.getJsonObject("fees"))
            + ", penalties "
            + PluginViews.amount(o.getJsonObject("penalties"))
            + ")");
    out.println("days past due " + l.getInteger("daysPastDue"));
    out.println();
    TextTable s =
        new TextTable(
            ">#",
            "DUE DATE",
            ">PRINCIPAL",
            ">INTEREST",
            ">FEES+PEN",
            ">DUE",
            ">PAID",
            ">OUTSTANDING",
            "SETTLED");
    for (Object x : l.getJsonArray("schedule")) {
      JsonObject i = (JsonObject) x;
      JsonObject due = i.getJsonObject("due");
      long feesAndPenalties =
          due.getJsonObject("fees").getLong("minor")
              + due.getJsonObject("penalties").getLong("minor");
      s.row(
          i.getInteger("number"),
          i.getString("dueDate"),
          PluginViews.amount(due.getJsonObject("principal")),
          PluginViews.amount(due.getJsonObject("interest")),
          feesAndPenalties == 0
              ? "0"
              : PluginViews.amount(due.getJsonObject("fees"))
                  + "+"
                  + PluginViews.amount(due.getJsonObject("penalties")),
          PluginViews.amount(due.getJsonObject("total")),
          PluginViews.amount(i.getJsonObject("paid").getJsonObject("total")),
          PluginViews.amount(i.getJsonObject("outstanding").getJsonObject("total")),
          i.getBoolean("settled") ? i.getString("settledOn", "yes") : "");
    }
    s.print(out);
    out.println();
    TextTable p = new TextTable("PART", "LENDER", ">PRINCIPAL", ">OUTSTANDING");
    for (Object x : l.getJsonArray("parts")) {
      JsonObject part = (JsonObject) x;
      p.row(
          part.getString("id"),
          part.getString("lender"),
          PluginViews.amount(part.getJsonObject("principal")),
          PluginViews.amount(part.getJsonObject("outstandingPrincipal")));
    }
    p.print(out);
    if (!l.getJsonArray("flagged").isEmpty()) {
      out.println("flagged records (kept, not applied): " + l.getJsonArray("flagged").encode());
    }
    out.println(PluginViews.reflects(body));
    return 0;
  }
}
