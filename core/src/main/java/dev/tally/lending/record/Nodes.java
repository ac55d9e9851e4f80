package dev.tally.lending.record;

import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Money;
import java.util.List;
import java.util.function.Function;

/** Writes the values of records as data-model nodes (the inverse of {@link Fields}). */
final class Nodes {
  private Nodes() {}

  static IpldNode money(Money m) {
    return IpldNode.map().put("currency", m.currency().code()).put("minor", m.minor()).build();
  }

  static IpldNode party(PartyId p) {
    return IpldNode.of(p.cid());
  }

  static IpldNode digest(Digest d) {
    return IpldNode.of(d.bytes());
  }

  static IpldNode date(java.time.LocalDate d) {
    return IpldNode.of(d.toString());
  }

  static <T> IpldNode list(List<T> items, Function<T, IpldNode> each) {
    return IpldNode.list(items.stream().map(each).toList());
  }
}
