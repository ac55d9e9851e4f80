package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.multiformats.Cid;
import java.util.List;

/**
 * The body of a lending record: one immutable Java record per kind of RECORDS.md. {@link #encode}
 * gives its data-model map; {@link Kinds} decodes one strictly.
 */
public sealed interface Body
    permits PartyRegistered,
        KycAttested,
        KycRevoked,
        LoanRequested,
        RequestWithdrawn,
        RequestRejected,
        OfferMade,
        OfferWithdrawn,
        LoanAgreed,
        AgreementCancelled,
        CashMovement,
        DisbursementReversed,
        ChargeApplied,
        Waived,
        Rescheduled,
        DefaultDeclared,
        ChargedOff,
        WrittenOff,
        Consent,
        Reversal,
        LoanPartTransferred {
  /** The record kind, as written in the record's {@code kind} field. */
  String kind();

  /** The body as a data-model map (canonical once DAG-CBOR encoded). */
  IpldMap encode();

  /** The records (entry CIDs) this body names, besides the loan. */
  default List<Cid> links() {
    return List.of();
  }
}
