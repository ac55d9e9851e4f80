package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Money;
import java.util.function.BiFunction;

/**
 * A record of money moving, posted by the servicer: a positive amount and the SHA-256 of the
 * payment reference (the reference itself stays off the log). The kinds differ in what the fold
 * does with the money, not in their bytes.
 */
public sealed interface CashMovement extends Body
    permits Disbursed, RepaymentReceived, RecoveryReceived, CreditBalanceRefunded, Chargeback {
  /** The money moved, in the loan's currency. */
  Money amount();

  /** SHA-256 of the payment reference. */
  Digest reference();

  @Override
  default IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("amount", Nodes.money(amount()));
    b.put("reference", Nodes.digest(reference()));
    return b.build();
  }

  /** Decodes the body {@code {amount, reference}} strictly into {@code make}'s record. */
  static <T extends CashMovement> T decode(Fields f, BiFunction<Money, Digest, T> make) {
    T b = make.apply(f.positive("amount"), f.digest("reference"));
    f.end();
    return b;
  }
}
