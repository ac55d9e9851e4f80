package dev.tally.plugins.loanbook;

import static dev.tally.plugin.spi.json.LendingJson.components;
import static dev.tally.plugin.spi.json.LendingJson.money;

import dev.tally.plugin.spi.json.JsonWriter;
import dev.tally.plugin.spi.json.LendingJson;
import dev.tally.plugin.spi.lending.Installment;
import dev.tally.plugin.spi.lending.LendingSnapshot;
import dev.tally.plugin.spi.lending.Loan;
import dev.tally.plugin.spi.lending.Part;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;

/** The JSON of loans: summaries, details and schedules. */
final class LoanJson {
  private LoanJson() {}

  /** Opens the answer object with the heads and business date its figures reflect. */
  static JsonWriter begin(LendingSnapshot s) {
    JsonWriter w = new JsonWriter().beginObject();
    LendingJson.heads(w, "heads", s.heads());
    return w.field("businessDate", s.businessDate().toString());
  }

  /** Members of a loan summary (inside an open object). */
  static JsonWriter summary(JsonWriter w, Loan l) {
    w.field("id", l.id())
        .field("status", l.status().name().toLowerCase(java.util.Locale.ROOT))
        .field("statusCode", l.status().code())
        .field("borrower", l.borrower())
        .field("currency", l.currency());
    money(w, "principal", l.principal());
    components(w, "outstanding", l.outstanding());
    Optional<Installment> next = l.nextDue();
    w.name("nextDue");
    if (next.isPresent()) {
      Installment i = next.get();
      w.beginObject().field("number", i.number()).field("dueDate", i.dueDate().toString());
      money(w, "amount", i.outstanding().total());
      w.endObject();
    } else {
      w.nullValue();
    }
    return w.field("daysPastDue", l.daysPastDue());
  }

  /** Members of a whole loan: summary, terms, schedule, parts, flagged records. */
  static JsonWriter detail(JsonWriter w, Loan l) {
    summary(w, l);
    w.name("servicer");
    optional(w, l.servicer());
    w.field("annualRateMillionths", l.annualRateMillionths())
        .field(
            "annualRatePercent", BigDecimal.valueOf(l.annualRateMillionths(), 4).toPlainString());
    money(w, "disbursed", l.disbursed());
    w.name("disbursedOn");
    optional(w, l.disbursedOn().map(LocalDate::toString));
    w.name("overdueSince");
    optional(w, l.overdueSince().map(LocalDate::toString));
    schedule(w, l);
    w.name("parts").beginArray();
    for (Part p : l.parts()) {
      w.beginObject().field("id", p.id()).field("lender", p.lender());
      money(w, "principal", p.principal());
      money(w, "outstandingPrincipal", p.outstandingPrincipal());
      w.endObject();
    }
    w.endArray();
    w.name("flagged").beginArray();
    l.flagged().forEach(w::value);
    return w.endArray();
  }

  /** The {@code schedule} member: every installment with due, paid, waived and outstanding. */
  static JsonWriter schedule(JsonWriter w, Loan l) {
    w.name("schedule").beginArray();
    for (Installment i : l.schedule()) {
      w.beginObject().field("number", i.number()).field("dueDate", i.dueDate().toString());
      components(w, "due", i.due());
      components(w, "paid", i.paid());
      components(w, "waived", i.waived());
      components(w, "outstanding", i.outstanding());
      w.field("settled", i.settled()).name("settledOn");
      optional(w, i.settledOn().map(LocalDate::toString));
      w.endObject();
    }
    return w.endArray();
  }

  private static void optional(JsonWriter w, Optional<String> v) {
    if (v.isPresent()) {
      w.value(v.get());
    } else {
      w.nullValue();
    }
  }
}
