package dev.tally.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tally lending delinquency}: buckets and PAR per currency (delinquency plugin). */
@Command(
    name = "delinquency",
    description =
        "Arrears buckets and portfolio at risk (PAR30, PAR90) per currency; --loans lists the"
            + " overdue loans (needs a running daemon).")
final class LendingDelinquencyCommand implements Callable<Integer> {
  @Mixin RepoOption repo;
  @Mixin EncodingOption enc;

  @Option(names = "--loans", description = "List overdue loans, most days past due first.")
  boolean loans;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    JsonObject body =
        PluginViews.get(repo.path(), "delinquency", loans ? "/loans" : "/report", List.of());
    PrintWriter out = spec.commandLine().getOut();
    if (enc.json()) {
      out.println(body.encode());
      return 0;
    }
    if (loans) {
      TextTable t = new TextTable("ID", "CCY", ">DPD", "BUCKET", "SINCE", ">OUTSTANDING");
      for (Object o : body.getJsonArray("loans")) {
        JsonObject l = (JsonObject) o;
        t.row(
            l.getString("id"),
            l.getString("currency"),
            l.getInteger("daysPastDue"),
            l.getString("bucket"),
            l.getString("overdueSince", "-"),
            PluginViews.amount(l.getJsonObject("outstanding").getJsonObject("total")));
      }
      t.print(out);
    } else {
      TextTable t = new TextTable("CCY", "BUCKET", ">LOANS", ">PRINCIPAL");
      TextTable par = new TextTable("CCY", "MEASURE", ">AT RISK", ">OF", ">RATIO");
      for (Object o : body.getJsonArray("currencies")) {
        JsonObject c = (JsonObject) o;
        for (Object b : c.getJsonArray("buckets")) {
          JsonObject bucket = (JsonObject) b;
          t.row(
              c.getString("currency"),
              bucket.getString("bucket"),
              bucket.getLong("loans"),
              PluginViews.amount(bucket.getJsonObject("outstandingPrincipal")));
        }
        for (Object p : c.getJsonArray("portfolioAtRisk")) {
          JsonObject x = (JsonObject) p;
          par.row(
              c.getString("currency"),
              x.getString("name"),
              PluginViews.amount(x.getJsonObject("atRisk")),
              PluginViews.amount(c.getJsonObject("outstandingPrincipal")),
              x.getString("ratio"));
        }
      }
      t.print(out);
      out.println();
      par.print(out);
    }
    out.println(PluginViews.reflects(body));
    return 0;
  }
}
