package dev.tally.lending.state;

import dev.tally.lending.money.LargestRemainder;
import dev.tally.lending.money.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Interest earned and not yet due at the business date, per lender part: the scheduled interest of
 * the installment whose period contains the business date, pro rata to the days elapsed in that
 * period (rounded half-even to the currency), less what of it was already paid or waived, shared
 * over the parts by outstanding principal with the same largest-remainder split as payments.
 *
 * <p>Zero before disbursement, outside status 300, on a due date (the interest is then due, not
 * accrued) and after the last due date. Interest of installments already due is arrears, not
 * accrual, so it is never counted here.
 */
final class Accrual {
  private Accrual() {}

  /** Accrued interest per part, in the order of {@code s.parts()}. */
  static List<Money> of(LoanState s) {
    List<Money> none = Collections.nCopies(s.parts().size(), Money.zero(s.currency()));
    if (s.status() != LoanStatus.ACTIVE || s.parts().isEmpty()) {
      return none;
    }
    LocalDate today = s.businessDate();
    for (Installment i : s.schedule()) {
      if (!i.from().isBefore(today) || !today.isBefore(i.dueDate())) {
        continue;
      }
      long elapsed = ChronoUnit.DAYS.between(i.from(), today);
      long period = ChronoUnit.DAYS.between(i.from(), i.dueDate());
      BigDecimal earned =
          BigDecimal.valueOf(i.due().interest().minor())
              .multiply(BigDecimal.valueOf(elapsed))
              .divide(BigDecimal.valueOf(period), Money.MATH);
      long settled = Math.addExact(i.paid().interest().minor(), i.waived().interest().minor());
      long total = Math.max(0, Money.round(earned, s.currency()).minor() - settled);
      long[] weights = new long[s.parts().size()];
      boolean anyWeight = false;
      for (int p = 0; p < weights.length; p++) {
        weights[p] = s.parts().get(p).outstandingPrincipal().minor();
        anyWeight |= weights[p] > 0;
      }
      if (total == 0 || !anyWeight) {
        return none;
      }
      List<Money> out = new ArrayList<>(weights.length);
      for (long minor : LargestRemainder.split(total, weights)) {
        out.add(Money.of(s.currency(), minor));
      }
      return List.copyOf(out);
    }
    return none;
  }
}
