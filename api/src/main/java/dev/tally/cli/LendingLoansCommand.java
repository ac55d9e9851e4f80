package dev.tally.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tally lending loans}: the loan book (the loan-book plugin's {@code /loans}). */
@Command(
    name = "loans",
    description =
        "List loans: status, outstanding, next due, days past due (needs a running daemon).")
final class LendingLoansCommand implements Callable<Integer> {
  @Mixin RepoOption repo;
  @Mixin EncodingOption enc;

  @Option(names = "--status", description = "Only loans in this status (name or Fineract code).")
  String status;

  @Option(names = "--currency", description = "Only loans in this currency.")
  String currency;

  @Option(names = "--borrower", description = "Only loans of this borrower (party id).")
  String borrower;

  @Option(names = "--lender", description = "Only loans in which this lender holds a part.")
  String lender;

  @Option(names = "--after", paramLabel = "ID", description = "Start after this loan id.")
  String after;

  @Option(names = "--limit", description = "At most this many loans (1..1000, default 100).")
  Integer limit;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    List<Map.Entry<String, String>> q = new ArrayList<>();
    add(q, "status", status);
    add(q, "currency", currency);
    add(q, "borrower", borrower);
    add(q, "lender", lender);
    add(q, "after", after);
    add(q, "limit", limit == null ? null : limit.toString());
    JsonObject body = PluginViews.get(repo.path(), "loan-book", "/loans", q);
    PrintWriter out = spec.commandLine().getOut();
    if (enc.json()) {
      out.println(body.encode());
      return 0;
    }
    TextTable t =
        new TextTable(
            "ID", "STATUS", "CCY", ">PRINCIPAL", ">OUTSTANDING", "NEXT DUE", ">AMOUNT", ">DPD");
    for (Object o : body.getJsonArray("loans")) {
      JsonObject l = (JsonObject) o;
      JsonObject next = l.getJsonObject("nextDue");
      t.row(
          l.getString("id"),
          l.getString("status"),
          l.getString("currency"),
          PluginViews.amount(l.getJsonObject("principal")),
          PluginViews.amount(l.getJsonObject("outstanding").getJsonObject("total")),
          next == null ? "-" : next.getString("dueDate"),
          next == null ? "-" : PluginViews.amount(next.getJsonObject("amount")),
          l.getInteger("daysPastDue"));
    }
    t.print(out);
    if (body.getString("next") != null) {
      out.println("more: --after " + body.getString("next"));
    }
    out.println(PluginViews.reflects(body));
    return 0;
  }

  private static void add(List<Map.Entry<String, String>> q, String name, String value) {
    if (value != null) {
      q.add(Map.entry(name, value));
    }
  }
}
