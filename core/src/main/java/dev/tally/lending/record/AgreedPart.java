package dev.tally.lending.record;

import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Money;
import dev.tally.multiformats.Cid;
import java.util.HashSet;
import java.util.List;

/**
 * One lender's part of an agreement: its id (a code, unique in the loan), the lender, the principal
 * it funds and the offer it takes up.
 */
public record AgreedPart(String part, PartyId lender, Money amount, Cid offer) {
  IpldNode encode() {
    return IpldNode.map()
        .put("part", part)
        .put("lender", Nodes.party(lender))
        .put("amount", Nodes.money(amount))
        .put("offer", offer)
        .build();
  }

  static List<AgreedPart> list(Fields f, String field) {
    List<AgreedPart> parts =
        f.list(
            field,
            n -> {
              Fields p = Fields.of(n, f.where() + "." + field + "[]");
              AgreedPart a =
                  new AgreedPart(
                      p.code("part"), p.party("lender"), p.positive("amount"), p.link("offer"));
              p.end();
              return a;
            });
    if (parts.isEmpty()) {
      throw new RecordFormatException(f.where() + "." + field + " must name at least one part");
    }
    for (int i = 1; i < parts.size(); i++) {
      if (parts.get(i - 1).part().compareTo(parts.get(i).part()) >= 0) {
        throw new RecordFormatException(
            f.where() + "." + field + " must be sorted by part id, without duplicates");
      }
    }
    if (new HashSet<>(parts.stream().map(AgreedPart::offer).toList()).size() != parts.size()) {
      throw new RecordFormatException(f.where() + "." + field + " takes up one offer twice");
    }
    return parts;
  }
}
