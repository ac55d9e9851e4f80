package dev.tally.cli;

import dev.tally.lending.money.Money;
import dev.tally.lending.money.Rate;
import dev.tally.lending.record.AgreedPart;
import dev.tally.lending.record.AgreementCancelled;
import dev.tally.lending.record.ChargeRules;
import dev.tally.lending.record.ContractGrace;
import dev.tally.lending.record.Digest;
import dev.tally.lending.record.LendingRecord;
import dev.tally.lending.record.LoanAgreed;
import dev.tally.lending.record.LoanPartTransferred;
import dev.tally.lending.record.PartyId;
import dev.tally.lending.record.Rescheduled;
import dev.tally.lending.schedule.Amortization;
import dev.tally.lending.schedule.DaysInMonth;
import dev.tally.lending.schedule.DaysInYear;
import dev.tally.lending.schedule.InterestMethod;
import dev.tally.lending.schedule.InterestPeriod;
import dev.tally.lending.schedule.ScheduleGenerator;
import dev.tally.lending.state.LendingState;
import dev.tally.lending.state.LoanState;
import dev.tally.lending.state.Part;
import dev.tally.lending.state.ScheduleHash;
import dev.tally.lending.state.Terms;
import dev.tally.multiformats.Cid;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The record commands that need several signers: this node proposes, the other parties run {@code
 * tally lending consent --proposal CID}; the record takes effect at the last consent.
 */
final class LendingProposals {
  private LendingProposals() {}

  @Command(
      name = "propose",
      description =
          "LoanAgreed: propose the contract (borrower, every lender and the servicer sign).")
  static final class Propose extends LendingWrite {
    @Option(names = "--loan", required = true)
    Cid loan;

    @Option(
        names = "--part",
        required = true,
        paramLabel = "ID=OFFER[:AMOUNT]",
        description =
            "A lender part taking up an offer (repeatable); amount defaults to the offer's")
    List<String> parts;

    @Option(names = "--servicer", paramLabel = "PEER_ID", description = "default: this node")
    String servicer;

    @Option(
        names = "--rate",
        paramLabel = "PERCENT",
        description = "default: the highest offered rate")
    String rate;

    @Option(
        names = "--method",
        description = "equal-installments or equal-principal (default: the request's)")
    String method;

    @Option(names = "--interest", description = "declining-balance (default) or flat")
    String interest = "declining-balance";

    @Option(
        names = "--interest-period",
        description = "same-as-repayment-period (default) or daily")
    String interestPeriod = "same-as-repayment-period";

    @Option(names = "--days-in-year", description = "actual (default), 360, 364, 365")
    String daysInYear = "actual";

    @Option(names = "--days-in-month", description = "actual (default) or 30")
    String daysInMonth = "actual";

    @Option(names = "--repayments", description = "default: the request's periods")
    Integer repayments;

    @Option(names = "--disbursement-date", description = "default: the value date")
    LocalDate disbursementDate;

    @Option(
        names = "--first-repayment-date",
        description = "default: one period after disbursement")
    LocalDate firstRepaymentDate;

    @Option(names = "--grace-principal")
    int gracePrincipal;

    @Option(names = "--grace-interest-payment")
    int graceInterestPayment;

    @Option(names = "--grace-interest-charged")
    int graceInterestCharged;

    @Option(names = "--grace-arrears-days")
    int graceArrears;

    @Option(
        names = "--allocation",
        description = "mifos-standard-strategy (default) or another strategy code")
    String allocation = "mifos-standard-strategy";

    @Option(names = "--late-fee", description = "Late fee (a penalty) the servicer may charge")
    String lateFee;

    @Option(names = "--late-fee-grace-days")
    int lateFeeGraceDays;

    @Option(names = "--servicer-may-waive", description = "The lenders' mandate to waive")
    boolean servicerMayWaive;

    @Option(
        names = "--expiry",
        description = "Last day for consents (default: value date + 7 days)")
    LocalDate expiry;

    private PartyId self;

    @Override
    LendingRecord record(LendingState state, PartyId me) {
      self = me;
      LoanState l = loan(state, loan);
      List<AgreedPart> agreed = new ArrayList<>();
      Money principal = Money.zero(l.currency());
      Rate top = Rate.ofMillionths(0);
      for (String spec : parts) {
        String[] idRest = spec.split("=", 2);
        if (idRest.length != 2) {
          throw new IllegalArgumentException("--part must be ID=OFFER[:AMOUNT], got " + spec);
        }
        String[] offerAmount = idRest[1].split(":", 2);
        Cid offer = Cid.parse(offerAmount[0]);
        LoanState.Offer o =
            l.offers().stream()
                .filter(x -> x.entry().equals(offer))
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "refused: " + offer + " is not an open offer on loan " + loan));
        Money amount = offerAmount.length == 2 ? amount(offerAmount[1], l, null) : o.amount();
        agreed.add(new AgreedPart(idRest[0], o.lender(), amount, offer));
        principal = principal.plus(amount);
        top = o.rate().compareTo(top) > 0 ? o.rate() : top;
      }
      agreed.sort(java.util.Comparator.comparing(AgreedPart::part));
      LocalDate disbursed = disbursementDate != null ? disbursementDate : date();
      LoanAgreed draft =
          contract(
              l,
              agreed,
              principal,
              rate != null ? Rate.parsePercent(rate) : top,
              disbursed,
              Digest.of(new byte[32]));
      Digest hash = ScheduleHash.of(ScheduleGenerator.generate(Terms.of(draft)));
      return LendingRecord.of(
          loan, date(), contract(l, agreed, principal, draft.rate(), disbursed, hash));
    }

    private LoanAgreed contract(
        LoanState l,
        List<AgreedPart> agreed,
        Money principal,
        Rate r,
        LocalDate disbursed,
        Digest hash) {
      int every = l.request().every();
      return new LoanAgreed(
          principal,
          agreed,
          servicer != null ? PartyId.parse(servicer) : self,
          r,
          InterestMethod.parse(interest),
          method != null ? Amortization.parse(method) : l.request().amortization(),
          InterestPeriod.parse(interestPeriod),
          DaysInYear.parse(daysInYear),
          DaysInMonth.parse(daysInMonth),
          every,
          repayments != null ? repayments : l.request().periods(),
          disbursed,
          firstRepaymentDate != null ? firstRepaymentDate : disbursed.plusMonths(every),
          new ContractGrace(
              gracePrincipal, graceInterestPayment, graceInterestCharged, graceArrears),
          allocation,
          new ChargeRules(
              Optional.ofNullable(lateFee).map(f -> amount(f, l, null)),
              lateFeeGraceDays,
              servicerMayWaive),
          expiry != null ? expiry : date().plusDays(7),
          hash);
    }
  }

  @Command(
      name = "cancel",
      description =
          "AgreementCancelled: cancel an agreed, undisbursed loan (borrower and servicer).")
  static final class Cancel extends LendingWrite {
    @Option(names = "--loan", required = true)
    Cid loan;

    @Option(names = "--reason", description = "A reason code (default cancelled)")
    String reason = "cancelled";

    @Option(names = "--expiry", description = "default: value date + 7 days")
    LocalDate expiry;

    @Override
    LendingRecord record(LendingState state, PartyId me) {
      return LendingRecord.of(
          loan,
          date(),
          new AgreementCancelled(reason, expiry != null ? expiry : date().plusDays(7)));
    }
  }

  @Command(
      name = "reschedule",
      description = "Rescheduled: new terms from a date (borrower, lenders and servicer).")
  static final class Reschedule extends LendingWrite {
    @Option(names = "--loan", required = true)
    Cid loan;

    @Option(names = "--from", required = true)
    LocalDate from;

    @Option(names = "--extra-periods")
    int extraPeriods;

    @Option(names = "--rate", paramLabel = "PERCENT")
    String rate;

    @Option(names = "--grace-principal")
    int gracePrincipal;

    @Option(names = "--grace-interest-payment")
    int graceInterestPayment;

    @Option(names = "--grace-interest-charged")
    int graceInterestCharged;

    @Option(names = "--expiry", description = "default: value date + 7 days")
    LocalDate expiry;

    @Override
    LendingRecord record(LendingState state, PartyId me) {
      LoanState l = loan(state, loan);
      var contract =
          l.contract()
              .orElseThrow(
                  () -> new IllegalArgumentException("refused: loan " + loan + " has no contract"));
      ContractGrace grace =
          new ContractGrace(
              gracePrincipal,
              graceInterestPayment,
              graceInterestCharged,
              contract.grace().arrearsAgeing());
      Optional<Rate> newRate = Optional.ofNullable(rate).map(Rate::parsePercent);
      LocalDate exp = expiry != null ? expiry : date().plusDays(7);
      Rescheduled draft =
          new Rescheduled(from, extraPeriods, newRate, grace, exp, Digest.of(new byte[32]));
      var current = new dev.tally.lending.schedule.Schedule(l.principal(), currentRows(l));
      Digest hash =
          ScheduleHash.of(
              ScheduleGenerator.reschedule(current, Terms.of(contract), Terms.of(draft)));
      return LendingRecord.of(
          loan, date(), new Rescheduled(from, extraPeriods, newRate, grace, exp, hash));
    }

    /** The loan's current schedule rows (principal and interest as scheduled, charges aside). */
    private static List<dev.tally.lending.schedule.Installment> currentRows(LoanState l) {
      List<dev.tally.lending.schedule.Installment> rows = new ArrayList<>();
      Money balance = l.principal();
      for (var i : l.schedule()) {
        balance = balance.minus(i.due().principal());
        rows.add(
            new dev.tally.lending.schedule.Installment(
                i.number(),
                i.from(),
                i.dueDate(),
                i.due().principal(),
                i.due().interest(),
                balance));
      }
      return rows;
    }
  }

  @Command(
      name = "transfer-part",
      description = "LoanPartTransferred: sell (some of) a part (seller, buyer, servicer).")
  static final class TransferPart extends LendingWrite {
    @Option(names = "--loan", required = true)
    Cid loan;

    @Option(names = "--part", required = true)
    String part;

    @Option(names = "--buyer", required = true, paramLabel = "PEER_ID")
    String buyer;

    @Option(names = "--principal", description = "default: the part's whole outstanding principal")
    String principal;

    @Option(names = "--price", required = true)
    String price;

    @Option(
        names = "--new-part",
        description = "Id of the buyer's part (default: the same id when sold whole)")
    String newPart;

    @Option(names = "--settlement-date", description = "default: the value date")
    LocalDate settlement;

    @Option(names = "--accrued-to", description = "buyer (default) or seller")
    String accruedTo = "buyer";

    @Option(names = "--expiry", description = "default: value date + 7 days")
    LocalDate expiry;

    @Override
    LendingRecord record(LendingState state, PartyId me) {
      LoanState l = loan(state, loan);
      Part p =
          l.parts().stream()
              .filter(x -> x.id().equals(part))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "refused: loan " + loan + " has no part " + part));
      Money moved = principal != null ? amount(principal, l, null) : p.outstandingPrincipal();
      String target =
          newPart != null ? newPart : moved.equals(p.outstandingPrincipal()) ? part : part + "-2";
      return LendingRecord.of(
          loan,
          date(),
          new LoanPartTransferred(
              part,
              target,
              PartyId.parse(buyer),
              moved,
              amount(price, l, null),
              settlement != null ? settlement : date(),
              accruedTo,
              expiry != null ? expiry : date().plusDays(7)));
    }
  }
}
