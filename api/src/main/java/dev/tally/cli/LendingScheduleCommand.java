package dev.tally.cli;

import dev.tally.lending.money.Currency;
import dev.tally.lending.money.Money;
import dev.tally.lending.money.Rate;
import dev.tally.lending.schedule.Amortization;
import dev.tally.lending.schedule.DaysInMonth;
import dev.tally.lending.schedule.DaysInYear;
import dev.tally.lending.schedule.Grace;
import dev.tally.lending.schedule.Installment;
import dev.tally.lending.schedule.InterestMethod;
import dev.tally.lending.schedule.InterestPeriod;
import dev.tally.lending.schedule.Schedule;
import dev.tally.lending.schedule.ScheduleGenerator;
import dev.tally.lending.schedule.ScheduleTerms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tally lending schedule --principal 10000.00 --currency EUR --rate 12 --periods 12}: prints
 * a repayment schedule without touching any log or repo.
 */
@Command(
    name = "schedule",
    description = "Compute a repayment schedule (no log is read or written).")
final class LendingScheduleCommand implements Callable<Integer> {
  @Option(
      names = "--principal",
      required = true,
      paramLabel = "AMOUNT",
      description = "e.g. 10000.00")
  String principal;

  @Option(
      names = "--currency",
      required = true,
      paramLabel = "CODE",
      description = "ISO 4217, e.g. EUR")
  String currency;

  @Option(
      names = "--rate",
      required = true,
      paramLabel = "PERCENT",
      description = "Annual nominal rate in %, e.g. 12")
  String rate;

  @Option(
      names = "--periods",
      required = true,
      paramLabel = "N",
      description = "Number of repayments")
  int periods;

  @Option(
      names = "--method",
      paramLabel = "METHOD",
      description = "equal-installments (default) or equal-principal")
  String method = Amortization.EQUAL_INSTALLMENTS.code();

  @Option(
      names = "--interest",
      paramLabel = "METHOD",
      description = "declining-balance (default) or flat")
  String interest = InterestMethod.DECLINING_BALANCE.code();

  @Option(
      names = "--interest-period",
      paramLabel = "PERIOD",
      description =
          "same-as-repayment-period or daily (default: daily when --days-in-year or --days-in-month is"
              + " given, else same-as-repayment-period)")
  String interestPeriod;

  @Option(
      names = "--days-in-year",
      paramLabel = "DAYS",
      description = "actual (default), 360, 364 or 365")
  String daysInYear;

  @Option(names = "--days-in-month", paramLabel = "DAYS", description = "actual (default) or 30")
  String daysInMonth;

  @Option(
      names = "--every",
      paramLabel = "MONTHS",
      description = "Months between repayments (default 1)")
  int every = 1;

  @Option(
      names = "--disbursement-date",
      paramLabel = "DATE",
      description = "ISO date (default: today, UTC)")
  LocalDate disbursed;

  @Option(
      names = "--first-repayment-date",
      paramLabel = "DATE",
      description = "ISO date (default: one period after disbursement)")
  LocalDate firstRepayment;

  @Option(
      names = "--grace-principal",
      paramLabel = "N",
      description = "Periods with no principal due")
  int gracePrincipal;

  @Option(
      names = "--grace-interest-payment",
      paramLabel = "N",
      description = "Periods whose interest is deferred")
  int graceInterestPayment;

  @Option(
      names = "--grace-interest-charged",
      paramLabel = "N",
      description = "Periods with no interest at all")
  int graceInterestCharged;

  @Option(names = "--enc", paramLabel = "ENC", description = "text (default) or json")
  String enc = "text";

  // Accepted like every command's, and never opened: the calculator reads and writes no repo.
  @picocli.CommandLine.Mixin RepoOption repo;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Currency cur = Currency.of(currency);
    LocalDate start = disbursed != null ? disbursed : LocalDate.now(ZoneOffset.UTC);
    boolean daily =
        interestPeriod != null
            ? InterestPeriod.parse(interestPeriod) == InterestPeriod.DAILY
            : daysInYear != null || daysInMonth != null;
    ScheduleTerms terms =
        new ScheduleTerms(
            Money.parse(principal, cur),
            Rate.parsePercent(rate),
            InterestMethod.parse(interest),
            Amortization.parse(method),
            daily ? InterestPeriod.DAILY : InterestPeriod.SAME_AS_REPAYMENT_PERIOD,
            daysInYear == null ? DaysInYear.ACTUAL : DaysInYear.parse(daysInYear),
            daysInMonth == null ? DaysInMonth.ACTUAL : DaysInMonth.parse(daysInMonth),
            every,
            periods,
            start,
            firstRepayment != null ? firstRepayment : start.plusMonths(every),
            new Grace(gracePrincipal, graceInterestPayment, graceInterestCharged));
    Schedule s = ScheduleGenerator.generate(terms);
    PrintWriter out = spec.commandLine().getOut();
    switch (enc) {
      case "json" -> out.println(json(terms, s).encodePrettily());
      case "text" -> text(s, out);
      default -> throw new IllegalArgumentException("--enc must be text or json, got " + enc);
    }
    return 0;
  }

  private static String amount(Money m) {
    return m.major().toPlainString();
  }

  private static void text(Schedule s, PrintWriter out) {
    String row = "%4s  %-10s  %14s  %14s  %14s  %14s%n";
    out.printf(row, "#", "due", "principal", "interest", "installment", "balance");
    for (Installment r : s.rows()) {
      out.printf(
          row,
          r.number(),
          r.due(),
          amount(r.principal()),
          amount(r.interest()),
          amount(r.total()),
          amount(r.balance()));
    }
    out.printf(
        row,
        "",
        "total",
        amount(s.totalPrincipal()),
        amount(s.totalInterest()),
        amount(s.totalRepayment()),
        "");
  }

  static JsonObject json(ScheduleTerms t, Schedule s) {
    JsonArray rows = new JsonArray();
    for (Installment r : s.rows()) {
      rows.add(
          new JsonObject()
              .put("number", r.number())
              .put("from", r.from().toString())
              .put("due", r.due().toString())
              .put("principal", amount(r.principal()))
              .put("interest", amount(r.interest()))
              .put("installment", amount(r.total()))
              .put("balance", amount(r.balance())));
    }
    return new JsonObject()
        .put("currency", t.principal().currency().code())
        .put("principal", amount(t.principal()))
        .put("annualRateMillionths", t.rate().millionths())
        .put("amortization", t.amortization().code())
        .put("interestMethod", t.interestMethod().code())
        .put("interestPeriod", t.interestPeriod().code())
        .put("daysInYear", t.daysInYear().code())
        .put("daysInMonth", t.daysInMonth().code())
        .put("rows", rows)
        .put("totalInterest", amount(s.totalInterest()))
        .put("totalRepayment", amount(s.totalRepayment()));
  }
}
