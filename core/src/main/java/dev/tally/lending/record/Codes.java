package dev.tally.lending.record;

import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Components;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Readers and writers for the small value types records share. */
final class Codes {
  /** The roles of RECORDS.md. */
  static final Set<String> ROLES = Set.of("borrower", "lender", "servicer", "attestor");

  private Codes() {}

  static String choice(Fields f, String field, String... allowed) {
    String s = f.string(field, 64);
    if (!Arrays.asList(allowed).contains(s)) {
      throw new RecordFormatException(
          f.where() + "." + field + " \"" + s + "\" is not one of " + String.join(", ", allowed));
    }
    return s;
  }

  static List<String> roles(Fields f, String field) {
    List<String> roles =
        f.list(
            field,
            n -> {
              if (n.kind() != IpldNode.Kind.STRING || !ROLES.contains(n.asString())) {
                throw new RecordFormatException(
                    f.where() + "." + field + " holds " + n + "; roles are " + ROLES);
              }
              return n.asString();
            });
    if (roles.isEmpty() || !roles.stream().sorted().distinct().toList().equals(roles)) {
      throw new RecordFormatException(
          f.where() + "." + field + " must be a non-empty, sorted list of distinct roles");
    }
    return roles;
  }

  static String country(Fields f, String field) {
    String c = f.string(field, 2);
    if (!c.matches("[A-Z]{2}")) {
      throw new RecordFormatException(
          f.where() + "." + field + " \"" + c + "\" is not an ISO 3166 alpha-2 code");
    }
    return c;
  }

  static Components components(Fields f, String field) {
    Fields c = Fields.of(f.node(field), f.where() + "." + field);
    Components out =
        new Components(
            c.money("principal"), c.money("interest"), c.money("fees"), c.money("penalties"));
    c.end();
    return out;
  }

  static IpldNode encode(Components c) {
    return IpldNode.map()
        .put("principal", Nodes.money(c.principal()))
        .put("interest", Nodes.money(c.interest()))
        .put("fees", Nodes.money(c.fees()))
        .put("penalties", Nodes.money(c.penalties()))
        .build();
  }
}
