package dev.tally.plugin.spi.lending;

/** What moved money between a lender and a loan. */
public enum CashFlowKind {
  /** The lender's share of a disbursement (money out of the lender). */
  DISBURSEMENT,
  /** The lender's share of a repayment (money in). */
  REPAYMENT,
  /** The lender's share of a recovery after write-off (money in). */
  RECOVERY,
  /** The lender's share of a reversed disbursement or repayment (undoes an earlier flow). */
  REVERSAL,
  /** The price a seller received for a part it transferred (money in). */
  PART_SOLD,
  /** The price a buyer paid for a part (money out). */
  PART_BOUGHT
}
