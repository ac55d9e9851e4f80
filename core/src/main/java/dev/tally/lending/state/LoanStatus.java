package dev.tally.lending.state;

import java.util.Optional;

/** A loan's status, with Apache Fineract's {@code LoanStatus} codes. */
public enum LoanStatus {
  SUBMITTED(100),
  APPROVED(200),
  ACTIVE(300),
  WITHDRAWN(400),
  REJECTED(500),
  CLOSED_OBLIGATIONS_MET(600),
  CLOSED_WRITTEN_OFF(601),
  OVERPAID(700);

  private final int code;

  LoanStatus(int code) {
    this.code = code;
  }

  /** Fineract's numeric code (100 submitted … 700 overpaid). */
  public int code() {
    return code;
  }

  public static Optional<LoanStatus> ofCode(int code) {
    for (LoanStatus s : values()) {
      if (s.code == code) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
