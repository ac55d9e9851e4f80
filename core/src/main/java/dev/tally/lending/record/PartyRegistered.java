package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import java.util.List;
import java.util.Optional;

/**
 * The first record of a key admitted to the log: the roles its party takes. The party is the
 * entry's author; its key is the author key.
 */
public record PartyRegistered(List<String> roles, Optional<String> country) implements Body {
  public static final String KIND = "PartyRegistered";

  public PartyRegistered {
    roles = List.copyOf(roles);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("roles", Nodes.list(roles, IpldNode::of));
    country.ifPresent(v -> b.put("country", IpldNode.of(v)));
    return b.build();
  }

  static PartyRegistered decode(Fields f) {
    PartyRegistered b =
        new PartyRegistered(
            Codes.roles(f, "roles"), f.optional("country", k -> Codes.country(f, k)));
    f.end();
    return b;
  }
}
