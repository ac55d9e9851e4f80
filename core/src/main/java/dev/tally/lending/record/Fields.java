package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Currencies;
import dev.tally.lending.money.Money;
import dev.tally.lending.money.MoneyException;
import dev.tally.lending.money.Rate;
import dev.tally.multiformats.Cid;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A strict reader of one record map: every field is read with its expected type, and {@link #end}
 * refuses any field that was not read, so an unknown field never passes silently. Amounts must be
 * integers of minor units: a float or a numeric string where an integer belongs is refused.
 */
final class Fields {
  /** Codes (reasons, purposes, roles) are short identifiers, never free text. */
  private static final java.util.regex.Pattern CODE =
      java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  private static final int MAX_LIST = 256;
  private final IpldMap map;
  private final String where;
  private final Set<String> used = new HashSet<>();

  private Fields(IpldMap map, String where) {
    this.map = map;
    this.where = where;
  }

  static Fields of(IpldNode node, String where) {
    if (node.kind() != IpldNode.Kind.MAP) {
      throw new RecordFormatException(where + " must be a map, found a " + label(node));
    }
    return new Fields(node.asMap(), where);
  }

  private static String label(IpldNode node) {
    return node.kind().name().toLowerCase(java.util.Locale.ROOT);
  }

  private RecordFormatException bad(String field, String what) {
    return new RecordFormatException(where + "." + field + " " + what);
  }

  boolean has(String field) {
    return map.containsKey(field);
  }

  IpldNode node(String field) {
    used.add(field);
    return map.get(field).orElseThrow(() -> bad(field, "is missing"));
  }

  <T> Optional<T> optional(String field, Function<String, T> reader) {
    return map.containsKey(field) ? Optional.of(reader.apply(field)) : Optional.empty();
  }

  private IpldNode typed(String field, IpldNode.Kind kind) {
    IpldNode n = node(field);
    if (n.kind() != kind) {
      throw bad(
          field,
          "must be a " + kind.name().toLowerCase(java.util.Locale.ROOT) + ", found a " + label(n));
    }
    return n;
  }

  long integer(String field, long min, long max) {
    IpldNode n = typed(field, IpldNode.Kind.INT);
    long v;
    try {
      v = n.asLong();
    } catch (ArithmeticException e) {
      throw bad(field, "is outside the int64 range");
    }
    if (v < min || v > max) {
      throw bad(field, "is " + v + ", expected " + min + ".." + max);
    }
    return v;
  }

  int smallInt(String field, int min, int max) {
    return (int) integer(field, min, max);
  }

  boolean bool(String field) {
    return typed(field, IpldNode.Kind.BOOL).asBool();
  }

  String string(String field, int maxLength) {
    String s = typed(field, IpldNode.Kind.STRING).asString();
    if (s.length() > maxLength) {
      throw bad(field, "is longer than " + maxLength + " characters");
    }
    return s;
  }

  /** A code: lower-case letters, digits and dashes, 1..32 characters (never free text). */
  String code(String field) {
    String s = string(field, 32);
    if (!CODE.matcher(s).matches()) {
      throw bad(field, "\"" + s + "\" is not a code ([a-z0-9-], 1..32 characters)");
    }
    return s;
  }

  LocalDate date(String field) {
    String s = string(field, 10);
    try {
      LocalDate d = LocalDate.parse(s);
      if (!d.toString().equals(s)) {
        throw new DateTimeParseException("not canonical", s, 0);
      }
      return d;
    } catch (DateTimeParseException e) {
      throw bad(field, "\"" + s + "\" is not an ISO date (YYYY-MM-DD)");
    }
  }

  Cid link(String field) {
    return typed(field, IpldNode.Kind.LINK).asLink();
  }

  PartyId party(String field) {
    try {
      return new PartyId(link(field));
    } catch (RecordFormatException e) {
      throw bad(field, "is not a party id: " + e.getMessage());
    }
  }

  Digest digest(String field) {
    byte[] b = typed(field, IpldNode.Kind.BYTES).asBytes();
    if (b.length != Digest.LENGTH) {
      throw bad(field, "must be 32 bytes, found " + b.length);
    }
    return Digest.of(b);
  }

  Rate rate(String field) {
    return Rate.ofMillionths(integer(field, 0, Rate.MAX));
  }

  /** {@code {currency, minor}}: an ISO 4217 code and an integer of minor units. */
  Money money(String field) {
    Fields m = Fields.of(node(field), where + "." + field);
    String code = m.string("currency", 3);
    IpldNode minor = m.node("minor");
    if (minor.kind() != IpldNode.Kind.INT) {
      throw new RecordFormatException(
          where
              + "."
              + field
              + ".minor must be an integer of minor units, found a "
              + label(minor)
              + (minor.kind() == IpldNode.Kind.STRING ? " (\"" + minor.asString() + "\")" : ""));
    }
    long units = m.integer("minor", Long.MIN_VALUE, Long.MAX_VALUE);
    m.end();
    try {
      return Money.of(Currencies.of(code), units);
    } catch (MoneyException e) {
      throw bad(field, e.getMessage());
    }
  }

  /** A money amount that must be > 0. */
  Money positive(String field) {
    Money m = money(field);
    if (!m.isPositive()) {
      throw bad(field, "must be > 0, got " + m);
    }
    return m;
  }

  <T> List<T> list(String field, Function<IpldNode, T> item) {
    List<IpldNode> items = typed(field, IpldNode.Kind.LIST).asList();
    if (items.size() > MAX_LIST) {
      throw bad(field, "holds " + items.size() + " items, at most " + MAX_LIST);
    }
    List<T> out = new ArrayList<>(items.size());
    for (IpldNode n : items) {
      out.add(item.apply(n));
    }
    return List.copyOf(out);
  }

  String where() {
    return where;
  }

  /** Refuses every field that was not read. */
  void end() {
    for (String k : map.keys()) {
      if (!used.contains(k)) {
        Set<String> known = new TreeSet<>(used);
        throw new RecordFormatException(
            "unknown field \"" + k + "\" in " + where + "; its fields are " + known);
      }
    }
  }
}
