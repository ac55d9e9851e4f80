package dev.tally.lending.state;

import dev.tally.lending.record.LoanAgreed;
import dev.tally.lending.record.Rescheduled;
import dev.tally.lending.schedule.RescheduleTerms;
import dev.tally.lending.schedule.Schedule;
import dev.tally.lending.schedule.ScheduleException;
import dev.tally.lending.schedule.ScheduleGenerator;
import dev.tally.lending.schedule.ScheduleTerms;
import java.util.LinkedHashMap;
import java.util.Map;

/** The schedule terms and schedules that contracts and reschedules describe. */
public final class Terms {
  private Terms() {}

  /** The schedule terms of a contract. */
  public static ScheduleTerms of(LoanAgreed a) {
    return new ScheduleTerms(
        a.principal(),
        a.rate(),
        a.interestMethod(),
        a.amortization(),
        a.interestPeriod(),
        a.daysInYear(),
        a.daysInMonth(),
        a.every(),
        a.repayments(),
        a.disbursementDate(),
        a.firstRepaymentDate(),
        a.grace().schedule());
  }

  /**
   * Recent schedules by terms: a proposal's schedule is computed when it is proposed and again when
   * its last consent makes it effective. A pure function's cache, so it cannot change a result.
   */
  private static final ThreadLocal<Map<ScheduleTerms, Schedule>> RECENT =
      ThreadLocal.withInitial(
          () ->
              new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ScheduleTerms, Schedule> e) {
                  return size() > 256;
                }
              });

  /** The schedule of a contract; invalid terms make the record invalid. */
  static Schedule schedule(LoanAgreed a) {
    try {
      ScheduleTerms t = of(a);
      Map<ScheduleTerms, Schedule> recent = RECENT.get();
      Schedule s = recent.get(t);
      if (s == null) {
        s = ScheduleGenerator.generate(t);
        recent.put(t, s);
      }
      return s;
    } catch (ScheduleException e) {
      throw new Invalid("the contract's terms give no schedule: " + e.getMessage());
    }
  }

  /** The change a reschedule record describes. */
  public static RescheduleTerms of(Rescheduled r) {
    return new RescheduleTerms(r.from(), r.extraPeriods(), r.rate(), r.grace().schedule());
  }
}
