package dev.tally.lending.schedule;

/** Schedule terms that cannot produce a schedule (no periods, grace longer than the term, ...). */
public final class ScheduleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ScheduleException(String message) {
    super(message);
  }
}
