package dev.tally.lending.state;

import static dev.tally.lending.state.LoanStatus.ACTIVE;
import static dev.tally.lending.state.LoanStatus.APPROVED;
import static dev.tally.lending.state.LoanStatus.CLOSED_OBLIGATIONS_MET;
import static dev.tally.lending.state.LoanStatus.CLOSED_WRITTEN_OFF;
import static dev.tally.lending.state.LoanStatus.OVERPAID;
import static dev.tally.lending.state.LoanStatus.SUBMITTED;

import dev.tally.lending.money.Components;
import dev.tally.lending.money.Components.Component;
import dev.tally.lending.money.Money;
import dev.tally.lending.record.AgreedPart;
import dev.tally.lending.record.AgreementCancelled;
import dev.tally.lending.record.Body;
import dev.tally.lending.record.ChargeApplied;
import dev.tally.lending.record.Chargeback;
import dev.tally.lending.record.ChargedOff;
import dev.tally.lending.record.CreditBalanceRefunded;
import dev.tally.lending.record.DefaultDeclared;
import dev.tally.lending.record.Disbursed;
import dev.tally.lending.record.LoanAgreed;
import dev.tally.lending.record.LoanPartTransferred;
import dev.tally.lending.record.OfferMade;
import dev.tally.lending.record.OfferWithdrawn;
import dev.tally.lending.record.PartyId;
import dev.tally.lending.record.RecoveryReceived;
import dev.tally.lending.record.RepaymentReceived;
import dev.tally.lending.record.RequestRejected;
import dev.tally.lending.record.RequestWithdrawn;
import dev.tally.lending.record.Rescheduled;
import dev.tally.lending.record.Waived;
import dev.tally.lending.record.WrittenOff;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The rules of RECORDS.md for records about one loan: who may sign what, in which status, and what
 * it changes. {@link #apply} either changes {@code b} or throws {@link Invalid} (the caller applies
 * to a copy, so an invalid record changes nothing).
 */
final class Rules {
  private Rules() {}

  static void apply(Book b, Event e, Function<PartyId, Set<String>> roles) {
    Body body = e.record().body();
    LocalDate date = e.record().valueDate();
    PartyId author = e.author();
    if (b.status == SUBMITTED && date.isAfter(b.request.expiry())) {
      b.status = LoanStatus.WITHDRAWN;
      throw new Invalid("the request expired on " + b.request.expiry());
    }
    if (body instanceof RequestWithdrawn) {
      b.requireStatus("RequestWithdrawn", SUBMITTED);
      if (!author.equals(b.borrower)) {
        throw new Invalid("only the borrower " + b.borrower + " may withdraw the request");
      }
      b.status = LoanStatus.WITHDRAWN;
    } else if (body instanceof RequestRejected) {
      b.requireStatus("RequestRejected", SUBMITTED);
      requireRole(roles, author, "servicer", "RequestRejected");
      b.status = LoanStatus.REJECTED;
    } else if (body instanceof OfferMade o) {
      offer(b, e, o, roles);
    } else if (body instanceof OfferWithdrawn w) {
      b.requireStatus("OfferWithdrawn", SUBMITTED);
      LoanState.Offer o = b.offers.get(w.offer());
      if (o == null) {
        throw new Invalid("no open offer " + w.offer() + " on this loan");
      }
      if (!o.lender().equals(author)) {
        throw new Invalid("only the offer's lender " + o.lender() + " may withdraw it");
      }
      b.offers.remove(w.offer());
    } else if (body instanceof LoanAgreed a) {
      agree(b, e, a, date, roles);
    } else if (body instanceof AgreementCancelled) {
      b.requireStatus("AgreementCancelled", APPROVED);
      b.status = LoanStatus.WITHDRAWN;
    } else if (body instanceof Disbursed d) {
      disburse(b, e, d, date);
    } else if (body instanceof RepaymentReceived r) {
      b.requireStatus("RepaymentReceived", ACTIVE, CLOSED_OBLIGATIONS_MET, OVERPAID);
      b.requireServicer(author, "RepaymentReceived");
      b.requireCurrency(r.amount());
      pay(b, e, r.amount(), date);
    } else if (body instanceof ChargeApplied c) {
      charge(b, author, c, date);
    } else if (body instanceof Waived w) {
      waive(b, w, date);
    } else if (body instanceof Rescheduled r) {
      reschedule(b, r);
    } else if (body instanceof DefaultDeclared d) {
      b.requireStatus("DefaultDeclared", ACTIVE);
      b.requireServicer(author, "DefaultDeclared");
      b.defaultOn = Optional.of(d.asOf());
    } else if (body instanceof ChargedOff c) {
      b.requireStatus("ChargedOff", ACTIVE);
      b.requireServicer(author, "ChargedOff");
      requireOutstanding(b, c.outstanding());
      b.chargedOff = true;
    } else if (body instanceof WrittenOff w) {
      b.requireStatus("WrittenOff", ACTIVE);
      b.requireServicer(author, "WrittenOff");
      requireOutstanding(b, w.outstanding());
      b.status = CLOSED_WRITTEN_OFF;
    } else if (body instanceof RecoveryReceived r) {
      b.requireStatus("RecoveryReceived", CLOSED_WRITTEN_OFF);
      b.requireServicer(author, "RecoveryReceived");
      b.requireCurrency(r.amount());
      b.recovered = Book.checked(() -> b.recovered.plus(r.amount()));
      b.share(e.entry(), date, CashFlow.Kind.RECOVERY, principalOnly(r.amount()));
    } else if (body instanceof CreditBalanceRefunded r) {
      b.requireStatus("CreditBalanceRefunded", OVERPAID);
      b.requireServicer(author, "CreditBalanceRefunded");
      b.requireCurrency(r.amount());
      if (r.amount().compareTo(b.credit) > 0) {
        throw new Invalid("refunding " + r.amount() + " but the credit balance is " + b.credit);
      }
      b.credit = b.credit.minus(r.amount());
      b.settle();
    } else if (body instanceof Chargeback c) {
      chargeback(b, author, c);
    } else if (body instanceof LoanPartTransferred t) {
      Transfers.apply(b, e, t, roles);
    } else {
      throw new Invalid(body.kind() + " does not apply to a loan");
    }
  }

  static Components principalOnly(Money m) {
    return Components.zero(m.currency()).with(Component.PRINCIPAL, m);
  }

  static void requireRole(
      Function<PartyId, Set<String>> roles, PartyId p, String role, String what) {
    if (!roles.apply(p).contains(role)) {
      throw new Invalid(
          what + " needs the " + role + " role; party " + p + " has " + roles.apply(p));
    }
  }

  private static void requireOutstanding(Book b, Components stated) {
    Components actual = b.outstanding();
    if (!actual.equals(stated)) {
      throw new Invalid("the stated outstanding " + stated + " differs from the loan's " + actual);
    }
  }

  private static void offer(Book b, Event e, OfferMade o, Function<PartyId, Set<String>> roles) {
    b.requireStatus("OfferMade", SUBMITTED);
    requireRole(roles, e.author(), "lender", "OfferMade");
    b.requireCurrency(o.amount());
    if (o.amount().compareTo(b.request.amount()) > 0) {
      throw new Invalid("offer " + o.amount() + " exceeds the request " + b.request.amount());
    }
    if (o.rate().compareTo(b.request.maxRate()) > 0) {
      throw new Invalid(
          "offer rate " + o.rate() + " exceeds the request's maximum " + b.request.maxRate());
    }
    b.offers.put(
        e.entry(), new LoanState.Offer(e.entry(), e.author(), o.amount(), o.rate(), o.expiry()));
  }

  /** Checks a contract against the request and its offers, then installs it. */
  private static void agree(
      Book b, Event e, LoanAgreed a, LocalDate date, Function<PartyId, Set<String>> roles) {
    b.requireStatus("LoanAgreed", SUBMITTED);
    b.requireCurrency(a.principal());
    Money total = Money.zero(a.principal().currency());
    for (AgreedPart p : a.parts()) {
      b.requireCurrency(p.amount());
      Money t = total;
      total = Book.checked(() -> t.plus(p.amount()));
      LoanState.Offer o = b.offers.get(p.offer());
      if (o == null) {
        throw new Invalid(
            "part "
                + p.part()
                + " takes up "
                + p.offer()
                + ", which is not an open offer on this loan");
      }
      if (!o.lender().equals(p.lender())) {
        throw new Invalid(
            "part "
                + p.part()
                + " names lender "
                + p.lender()
                + " but offer "
                + p.offer()
                + " is "
                + o.lender()
                + "'s");
      }
      if (p.amount().compareTo(o.amount()) > 0) {
        throw new Invalid(
            "part " + p.part() + " of " + p.amount() + " exceeds its offer of " + o.amount());
      }
      if (date.isAfter(o.expiry())) {
        throw new Invalid("offer " + p.offer() + " expired on " + o.expiry());
      }
      if (a.rate().compareTo(o.rate()) < 0) {
        throw new Invalid(
            "the contract rate "
                + a.rate()
                + " is below lender "
                + o.lender()
                + "'s offer of "
                + o.rate());
      }
      requireRole(roles, p.lender(), "lender", "a loan part");
    }
    if (!total.equals(a.principal())) {
      throw new Invalid("the parts sum to " + total + ", not the principal " + a.principal());
    }
    if (a.principal().compareTo(b.request.amount()) > 0) {
      throw new Invalid(
          "the principal " + a.principal() + " exceeds the request " + b.request.amount());
    }
    if (a.rate().compareTo(b.request.maxRate()) > 0) {
      throw new Invalid(
          "the rate " + a.rate() + " exceeds the request's maximum " + b.request.maxRate());
    }
    requireRole(roles, a.servicer(), "servicer", "the contract's servicer");
    b.agree(e.entry(), a);
  }

  private static void disburse(Book b, Event e, Disbursed d, LocalDate date) {
    b.requireStatus("Disbursed", APPROVED, ACTIVE, CLOSED_OBLIGATIONS_MET);
    b.requireServicer(e.author(), "Disbursed");
    b.requireCurrency(d.amount());
    Money total = Book.checked(() -> b.disbursed.plus(d.amount()));
    if (total.compareTo(b.principal) > 0) {
      throw new Invalid(
          "disbursing "
              + d.amount()
              + " would pay out "
              + total
              + ", more than the principal "
              + b.principal);
    }
    b.disbursed = total;
    if (b.disbursedOn.isEmpty()) {
      b.disbursedOn = Optional.of(date);
    }
    b.status = ACTIVE;
    b.share(e.entry(), date, CashFlow.Kind.DISBURSEMENT, principalOnly(d.amount()));
    b.settle();
  }

  static void pay(Book b, Event e, Money amount, LocalDate date) {
    Money[] left = new Money[1];
    String strategy = b.contract.map(LoanAgreed::allocation).orElse("mifos-standard-strategy");
    Components applied = Allocation.pay(b.rows, amount, Allocation.order(strategy), date, left);
    b.share(e.entry(), date, CashFlow.Kind.REPAYMENT, applied);
    if (left[0].isPositive()) {
      b.credit = Book.checked(() -> b.credit.plus(left[0]));
    }
    b.settle();
  }

  private static void charge(Book b, PartyId author, ChargeApplied c, LocalDate date) {
    b.requireStatus("ChargeApplied", ACTIVE, CLOSED_OBLIGATIONS_MET);
    b.requireServicer(author, "ChargeApplied");
    b.requireCurrency(c.amount());
    if (c.installment() > b.rows.size()) {
      throw new Invalid(
          "installment " + c.installment() + " does not exist; the schedule has " + b.rows.size());
    }
    Installment row = b.rows.get(c.installment() - 1);
    Component comp = c.type().equals("penalty") ? Component.PENALTIES : Component.FEES;
    if (c.rule().equals("late-fee")) {
      LoanAgreed k = b.contract.orElseThrow();
      Money fee =
          k.charges().lateFee().orElseThrow(() -> new Invalid("the contract has no late fee"));
      if (!c.type().equals("penalty") || !c.amount().equals(fee)) {
        throw new Invalid(
            "the contract's late fee is a penalty of "
                + fee
                + ", not a "
                + c.type()
                + " of "
                + c.amount());
      }
      LocalDate after = row.dueDate().plusDays(k.charges().lateFeeGraceDays());
      if (!date.isAfter(after)) {
        throw new Invalid(
            "installment "
                + c.installment()
                + " is not late beyond its grace until after "
                + after);
      }
      if (!b.lateFees.add(c.installment())) {
        throw new Invalid("installment " + c.installment() + " already carries a late fee");
      }
    }
    Components due = row.due().with(comp, Book.checked(() -> row.due().get(comp).plus(c.amount())));
    b.rows.set(
        c.installment() - 1,
        new Installment(
            row.number(),
            row.from(),
            row.dueDate(),
            due,
            row.paid(),
            row.waived(),
            Optional.empty()));
    b.status = ACTIVE;
  }

  private static void waive(Book b, Waived w, LocalDate date) {
    b.requireStatus("Waived", ACTIVE);
    b.requireCurrency(w.amount());
    Component c =
        w.component().equals("interest")
            ? Component.INTEREST
            : w.component().equals("fees") ? Component.FEES : Component.PENALTIES;
    Money owed = b.outstanding().get(c);
    if (w.amount().compareTo(owed) > 0) {
      throw new Invalid(
          "waiving "
              + w.amount()
              + " of "
              + w.component()
              + " but only "
              + owed
              + " is outstanding");
    }
    Allocation.waive(b.rows, c, w.amount(), date);
    b.settle();
  }

  private static void chargeback(Book b, PartyId author, Chargeback c) {
    b.requireStatus("Chargeback", ACTIVE, CLOSED_OBLIGATIONS_MET, OVERPAID);
    b.requireServicer(author, "Chargeback");
    b.requireCurrency(c.amount());
    Money fromCredit = c.amount().min(b.credit);
    b.credit = b.credit.minus(fromCredit);
    Money owed = c.amount().minus(fromCredit);
    if (owed.isPositive()) {
      int last = b.rows.size() - 1;
      Installment row = b.rows.get(last);
      Components due =
          row.due().with(Component.PRINCIPAL, Book.checked(() -> row.due().principal().plus(owed)));
      b.rows.set(
          last,
          new Installment(
              row.number(),
              row.from(),
              row.dueDate(),
              due,
              row.paid(),
              row.waived(),
              Optional.empty()));
    }
    b.settle();
  }

  private static void reschedule(Book b, Rescheduled r) {
    Transfers.reschedule(b, r);
  }
}
