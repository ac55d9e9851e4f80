package dev.tally.lending.state;

import dev.tally.lending.record.AgreementCancelled;
import dev.tally.lending.record.Body;
import dev.tally.lending.record.LendingRecord;
import dev.tally.lending.record.LoanAgreed;
import dev.tally.lending.record.LoanPartTransferred;
import dev.tally.lending.record.PartyId;
import dev.tally.lending.record.Rescheduled;
import dev.tally.lending.record.Reversal;
import dev.tally.lending.record.Waived;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** Which records need several signers (RECORDS.md "+"), who they are, and when they lapse. */
final class Proposals {
  private Proposals() {}

  /** The parties that must sign a record, when it is a proposal; empty when it applies at once. */
  static Optional<Set<PartyId>> required(Ledger l, Event ev) {
    Book b = l.book;
    Set<PartyId> lenders = new LinkedHashSet<>();
    b.parts.values().forEach(p -> lenders.add(p.lender()));
    Set<PartyId> out = new LinkedHashSet<>();
    Body body = ev.record().body();
    if (body instanceof LoanAgreed a) {
      out.add(l.borrower);
      out.add(a.servicer());
      a.parts().forEach(p -> out.add(p.lender()));
    } else if (body instanceof AgreementCancelled) {
      out.add(l.borrower);
      b.servicer.ifPresent(out::add);
    } else if (body instanceof Rescheduled) {
      out.add(l.borrower);
      b.servicer.ifPresent(out::add);
      out.addAll(lenders);
    } else if (body instanceof Waived) {
      boolean mandate = b.contract.map(c -> c.charges().servicerMayWaive()).orElse(false);
      if (mandate && b.servicer.map(ev.author()::equals).orElse(false)) {
        return Optional.empty();
      }
      out.addAll(lenders);
    } else if (body instanceof Reversal r) {
      l.events.stream()
          .filter(x -> x.entry().equals(r.target()))
          .findFirst()
          .ifPresent(t -> out.addAll(t.signers()));
      b.servicer.ifPresent(out::add);
    } else if (body instanceof LoanPartTransferred t) {
      Part p = b.parts.get(t.part());
      if (p != null) {
        out.add(p.lender());
      }
      out.add(t.buyer());
      b.servicer.ifPresent(out::add);
    } else {
      return Optional.empty();
    }
    return Optional.of(out);
  }

  static LocalDate expiry(LendingRecord r) {
    Body b = r.body();
    if (b instanceof LoanAgreed a) {
      return a.expiry();
    } else if (b instanceof AgreementCancelled c) {
      return c.expiry();
    } else if (b instanceof Rescheduled s) {
      return s.expiry();
    } else if (b instanceof Waived w) {
      return w.expiry();
    } else if (b instanceof Reversal v) {
      return v.expiry();
    } else if (b instanceof LoanPartTransferred t) {
      return t.expiry();
    }
    return r.valueDate();
  }
}
