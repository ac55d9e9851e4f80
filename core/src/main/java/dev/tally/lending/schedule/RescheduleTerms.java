package dev.tally.lending.schedule;

import dev.tally.lending.money.Rate;
import java.time.LocalDate;
import java.util.Optional;

/**
 * New terms from a date: rows due before {@code from} stay as they were; the principal they leave
 * is rescheduled over the remaining periods plus {@code extraPeriods}, at {@code newRate} if given,
 * with {@code grace} counted from the first rescheduled period.
 */
public record RescheduleTerms(
    LocalDate from, int extraPeriods, Optional<Rate> newRate, Grace grace) {
  public RescheduleTerms {
    if (extraPeriods < 0 || extraPeriods > ScheduleTerms.MAX_REPAYMENTS) {
      throw new ScheduleException("extra periods must be 0.." + ScheduleTerms.MAX_REPAYMENTS);
    }
  }
}
