package dev.tally.lending.record;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** The record kinds this node knows, with their current schema version and body decoders. */
public final class Kinds {
  /** Whether a kind's record names a loan. */
  enum LoanField {
    REQUIRED,
    ABSENT,
    OPTIONAL
  }

  /** One kind: its name, schema version, loan field rule and body decoder. */
  record Kind(String name, long schema, LoanField loan, Function<Fields, Body> decoder) {}

  /**
   * Kinds the log itself judges (writer admission, ADR 008); a lending fold skips them without
   * flagging them.
   */
  public static final Set<String> LOG_KINDS = Set.of("WriterAdded", "WriterRemoved");

  private static final Map<String, Kind> KINDS =
      Map.ofEntries(
          Map.entry(
              PartyRegistered.KIND,
              new Kind(PartyRegistered.KIND, 1, LoanField.ABSENT, PartyRegistered::decode)),
          Map.entry(
              KycAttested.KIND,
              new Kind(KycAttested.KIND, 1, LoanField.ABSENT, KycAttested::decode)),
          Map.entry(
              KycRevoked.KIND, new Kind(KycRevoked.KIND, 1, LoanField.ABSENT, KycRevoked::decode)),
          Map.entry(
              LoanRequested.KIND,
              new Kind(LoanRequested.KIND, 1, LoanField.ABSENT, LoanRequested::decode)),
          Map.entry(
              RequestWithdrawn.KIND,
              new Kind(RequestWithdrawn.KIND, 1, LoanField.REQUIRED, RequestWithdrawn::decode)),
          Map.entry(
              RequestRejected.KIND,
              new Kind(RequestRejected.KIND, 1, LoanField.REQUIRED, RequestRejected::decode)),
          Map.entry(
              OfferMade.KIND, new Kind(OfferMade.KIND, 1, LoanField.REQUIRED, OfferMade::decode)),
          Map.entry(
              OfferWithdrawn.KIND,
              new Kind(OfferWithdrawn.KIND, 1, LoanField.REQUIRED, OfferWithdrawn::decode)),
          Map.entry(
              LoanAgreed.KIND,
              new Kind(LoanAgreed.KIND, 1, LoanField.REQUIRED, LoanAgreed::decode)),
          Map.entry(
              AgreementCancelled.KIND,
              new Kind(AgreementCancelled.KIND, 1, LoanField.REQUIRED, AgreementCancelled::decode)),
          Map.entry(
              Disbursed.KIND, new Kind(Disbursed.KIND, 1, LoanField.REQUIRED, Disbursed::decode)),
          Map.entry(
              DisbursementReversed.KIND,
              new Kind(
                  DisbursementReversed.KIND, 1, LoanField.REQUIRED, DisbursementReversed::decode)),
          Map.entry(
              RepaymentReceived.KIND,
              new Kind(RepaymentReceived.KIND, 1, LoanField.REQUIRED, RepaymentReceived::decode)),
          Map.entry(
              ChargeApplied.KIND,
              new Kind(ChargeApplied.KIND, 1, LoanField.REQUIRED, ChargeApplied::decode)),
          Map.entry(Waived.KIND, new Kind(Waived.KIND, 1, LoanField.REQUIRED, Waived::decode)),
          Map.entry(
              Rescheduled.KIND,
              new Kind(Rescheduled.KIND, 1, LoanField.REQUIRED, Rescheduled::decode)),
          Map.entry(
              DefaultDeclared.KIND,
              new Kind(DefaultDeclared.KIND, 1, LoanField.REQUIRED, DefaultDeclared::decode)),
          Map.entry(
              ChargedOff.KIND,
              new Kind(ChargedOff.KIND, 1, LoanField.REQUIRED, ChargedOff::decode)),
          Map.entry(
              WrittenOff.KIND,
              new Kind(WrittenOff.KIND, 1, LoanField.REQUIRED, WrittenOff::decode)),
          Map.entry(
              RecoveryReceived.KIND,
              new Kind(RecoveryReceived.KIND, 1, LoanField.REQUIRED, RecoveryReceived::decode)),
          Map.entry(
              CreditBalanceRefunded.KIND,
              new Kind(
                  CreditBalanceRefunded.KIND,
                  1,
                  LoanField.REQUIRED,
                  CreditBalanceRefunded::decode)),
          Map.entry(
              Chargeback.KIND,
              new Kind(Chargeback.KIND, 1, LoanField.REQUIRED, Chargeback::decode)),
          Map.entry(Consent.KIND, new Kind(Consent.KIND, 1, LoanField.OPTIONAL, Consent::decode)),
          Map.entry(
              Reversal.KIND, new Kind(Reversal.KIND, 1, LoanField.REQUIRED, Reversal::decode)),
          Map.entry(
              LoanPartTransferred.KIND,
              new Kind(
                  LoanPartTransferred.KIND, 1, LoanField.REQUIRED, LoanPartTransferred::decode)));

  private Kinds() {}

  static Optional<Kind> find(String name) {
    return Optional.ofNullable(KINDS.get(name));
  }

  /** The names of every known kind, sorted. */
  public static Set<String> names() {
    return new TreeSet<>(KINDS.keySet());
  }
}
