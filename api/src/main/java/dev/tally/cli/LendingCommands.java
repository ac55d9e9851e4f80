package dev.tally.cli;

import dev.tally.lending.money.Components;
import dev.tally.lending.money.Currency;
import dev.tally.lending.money.Money;
import dev.tally.lending.money.Rate;
import dev.tally.lending.record.ChargeApplied;
import dev.tally.lending.record.Consent;
import dev.tally.lending.record.Disbursed;
import dev.tally.lending.record.LendingRecord;
import dev.tally.lending.record.LoanRequested;
import dev.tally.lending.record.OfferMade;
import dev.tally.lending.record.OfferWithdrawn;
import dev.tally.lending.record.PartyId;
import dev.tally.lending.record.PartyRegistered;
import dev.tally.lending.record.RepaymentReceived;
import dev.tally.lending.record.RequestRejected;
import dev.tally.lending.record.RequestWithdrawn;
import dev.tally.lending.record.Reversal;
import dev.tally.lending.record.Waived;
import dev.tally.lending.record.WrittenOff;
import dev.tally.lending.schedule.Amortization;
import dev.tally.lending.state.LendingState;
import dev.tally.lending.state.LoanState;
import dev.tally.multiformats.Cid;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The single-signer record commands of {@code tally lending}. */
final class LendingCommands {
  private LendingCommands() {}

  @Command(name = "register", description = "PartyRegistered: this node's roles in the log.")
  static final class Register extends LendingWrite {
    @Option(
        names = "--role",
        required = true,
        description = "borrower, lender, servicer or attestor (repeatable)")
    List<String> roles;

    @Option(names = "--country", paramLabel = "CC", description = "ISO 3166 alpha-2 (optional)")
    String country;

    @Override
    LendingRecord record(LendingState state, PartyId me) {
      return LendingRecord.of(
          Optional.empty(),
          date(),
          new PartyRegistered(
              roles.stream().sorted().distinct().toList(), Optional.ofNullable(country)));
    }
  }

  @Command(name = "request", description = "LoanRequested: ask for a loan; prints the loan id.")
  static final class Request extends LendingWrite {
    @Option(names = "--amount", required = true)
    String amount;

    @Option(names = "--currency", required = true)
    String currency;

    @Option(names = "--periods", required = true)
    int periods;

    @Option(names = "--every", description = "Months between repayments (default 1)")
    int every = 1;

    @Option(names = "--purpose", description = "A purpose code (default general)")
    String purpose = "general";

    @Option(names = "--max-rate", required = true, paramLabel = "PERCENT")
    String maxRate;

    @Option(names = "--method", description = "equal-installments (default) or equal-principal")
    String method = "equal-installments";

    @Option(
        names = "--expiry",
        description = "Last day offers may come (default: value date + 30 days)")
    LocalDate expiry;

    @Override
    LendingRecord record(LendingState state, PartyId me) {
      return LendingRecord.of(
          Optional.empty(),
          date(),
          new LoanRequested(
              Money.parse(amount, Currency.of(currency)),
              periods,
              every,
              purpose,
              Rate.parsePercent(maxRate),
              Amortization.parse(method),
              expiry != null ? expiry : date().plusDays(30)));
    }
  }

  @Command(name = "offer", description = "OfferMade: offer to fund (part of) a request.")
  static final class Offer extends LendingWrite {
    @Option(names = "--loan", required = true)
    Cid loan;

    @Option(names = "--amount", required = true)
    String amount;

    @Option(names = "--rate", required = true, paramLabel = "PERCENT")
    String rate;

    @Option(names = "--expiry", description = "default: value date + 14 days")
    LocalDate expiry;

    @Override
    LendingRecord record(LendingState state, PartyId me) {
      LoanState l = loan(state, loan);
      return LendingRecord.of(
          loan,
          date(),
          new OfferMade(
              amount(amount, l, null),
              Rate.parsePercent(rate),
              expiry != null ? expiry : date().plusDays(14)));
    }
  }

  @Command(name = "withdraw", description = "RequestWithdrawn, or OfferWithdrawn with --offer.")
  static final class Withdraw extends LendingWrite {
    @Option(names = "--loan", required = true)
    Cid loan;

    @Option(names = "--offer", description = "The offer to withdraw (lender)")
    Cid offer;

    @Option(names = "--reason", description = "A reason code (default withdrawn)")
    String reason = "withdrawn";

    @Override
    LendingRecord record(LendingState state, PartyId me) {
      return offer != null
          ? LendingRecord.of(loan, date(), new OfferWithdrawn(offer))
          : LendingRecord.of(loan, date(), new RequestWithdrawn(reason));
    }
  }

  @Command(name = "reject", description = "RequestRejected (servicer).")
  static final class Reject extends LendingWrite {
    @Option(names = "--loan", required = true)
    Cid loan;

    @Option(names = "--reason", required = true)
    String reason;

    @Override
    LendingRecord record(LendingState state, PartyId me) {
      return LendingRecord.of(loan, date(), new RequestRejected(reason));
    }
  }

  @Command(name = "consent", description = "Consent to a pending proposal.")
  static final class Agree extends LendingWrite {
    @Option(names = "--proposal", required = true, description = "The proposal's entry CID")
    Cid proposal;

    @Option(names = "--loan", description = "The loan (checked against the proposal)")
    Cid loan;

    @Override
    LendingRecord record(LendingState state, PartyId me) {
      return LendingRecord.of(Optional.ofNullable(loan), date(), new Consent(proposal));
    }
  }

  @Command(
      name = "disburse",
      description = "Disbursed (servicer): pay out (a tranche of) the principal.")
  static final class Disburse extends LendingWrite {
    @Option(names = "--loan", required = true)
    Cid loan;

    @Option(names = "--amount", description = "default: what is left to disburse")
    String amount;

    @Option(names = "--reference", description = "Payment reference (only its SHA-256 is written)")
    String reference;

    @Override
    LendingRecord record(LendingState state, PartyId me) {
      LoanState l = loan(state, loan);
      Money m = amount != null ? amount(amount, l, null) : l.principal().minus(l.disbursed());
      return LendingRecord.of(loan, date(), new Disbursed(m, reference(reference)));
    }
  }

  @Command(name = "repay", description = "RepaymentReceived (servicer): post a repayment.")
  static final class Repay extends LendingWrite {
    @Option(names = "--loan", required = true)
    Cid loan;

    @Option(
        names = "--amount",
        required = true,
        description = "e.g. 888.49, or 'payoff' for everything outstanding")
    String amount;

    @Option(names = "--reference", description = "Payment reference (only its SHA-256 is written)")
    String reference;

    @Override
    LendingRecord record(LendingState state, PartyId me) {
      LoanState l = loan(state, loan);
      Money m = amount.equals("payoff") ? l.outstanding().total() : amount(amount, l, null);
      return LendingRecord.of(loan, date(), new RepaymentReceived(m, reference(reference)));
    }
  }

  @Command(
      name = "charge",
      description = "ChargeApplied (servicer): a late fee or a fee on an installment.")
  static final class Charge extends LendingWrite {
    @Option(names = "--loan", required = true)
    Cid loan;

    @Option(names = "--installment", required = true)
    int installment;

    @Option(names = "--rule", description = "late-fee (default) or fee")
    String rule = "late-fee";

    @Option(names = "--amount", description = "default: the contract's late fee")
    String amount;

    @Override
    LendingRecord record(LendingState state, PartyId me) {
      LoanState l = loan(state, loan);
      Money m =
          amount != null
              ? amount(amount, l, null)
              : l.contract()
                  .flatMap(c -> c.charges().lateFee())
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "refused: the contract has no late fee; give --amount"));
      String type = rule.equals("late-fee") ? "penalty" : "fee";
      return LendingRecord.of(loan, date(), new ChargeApplied(rule, type, m, date(), installment));
    }
  }

  @Command(
      name = "waive",
      description = "Waived: interest, fees or penalties (lenders, or the servicer under mandate).")
  static final class Waive extends LendingWrite {
    @Option(names = "--loan", required = true)
    Cid loan;

    @Option(names = "--component", required = true, description = "interest, fees or penalties")
    String component;

    @Option(names = "--amount", required = true)
    String amount;

    @Option(names = "--expiry", description = "default: value date + 7 days")
    LocalDate expiry;

    @Override
    LendingRecord record(LendingState state, PartyId me) {
      LoanState l = loan(state, loan);
      return LendingRecord.of(
          loan,
          date(),
          new Waived(
              component, amount(amount, l, null), expiry != null ? expiry : date().plusDays(7)));
    }
  }

  @Command(
      name = "write-off",
      description = "WrittenOff (servicer): close the loan as written off.")
  static final class WriteOff extends LendingWrite {
    @Option(names = "--loan", required = true)
    Cid loan;

    @Override
    LendingRecord record(LendingState state, PartyId me) {
      Components outstanding = loan(state, loan).outstanding();
      return LendingRecord.of(loan, date(), new WrittenOff(outstanding));
    }
  }

  @Command(
      name = "reverse",
      description = "Reversal: undo an earlier record (its signers and the servicer).")
  static final class Reverse extends LendingWrite {
    @Option(names = "--loan", required = true)
    Cid loan;

    @Option(names = "--record", required = true, description = "The entry to reverse")
    Cid target;

    @Option(names = "--reason", description = "A reason code (default posting-error)")
    String reason = "posting-error";

    @Option(names = "--expiry", description = "default: value date + 7 days")
    LocalDate expiry;

    @Override
    LendingRecord record(LendingState state, PartyId me) {
      return LendingRecord.of(
          loan, date(), new Reversal(target, reason, expiry != null ? expiry : date().plusDays(7)));
    }
  }

  static LocalDate orDefault(LocalDate d, LocalDate dflt) {
    return d != null ? d : dflt;
  }
}
