package dev.tally.lending.record;

import dev.tally.ipld.CodecException;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A lending record, the {@code record} field of a log entry: {@code {kind, schema, loan?, refs?,
 * valueDate, body}}. {@code loan} is the loan id (the CID of the entry holding its {@code
 * LoanRequested}); {@code refs} are exactly the entries the record depends on — its loan and the
 * entries its body names — sorted and distinct, and absent when there are none, so that a record
 * has one canonical form. {@code valueDate} is the business date all maths uses.
 */
public record LendingRecord(long schema, Optional<Cid> loan, LocalDate valueDate, Body body) {

  public LendingRecord {
    Kinds.Kind k = Kinds.find(body.kind()).orElseThrow();
    if (schema != k.schema()) {
      throw new RecordFormatException(
          body.kind() + " records have schema " + k.schema() + ", not " + schema);
    }
    checkLoan(k, loan.isPresent());
  }

  /** A record of the current schema. */
  public static LendingRecord of(Optional<Cid> loan, LocalDate valueDate, Body body) {
    return new LendingRecord(Kinds.find(body.kind()).orElseThrow().schema(), loan, valueDate, body);
  }

  /** A record about {@code loan}. */
  public static LendingRecord of(Cid loan, LocalDate valueDate, Body body) {
    return of(Optional.of(loan), valueDate, body);
  }

  private static void checkLoan(Kinds.Kind k, boolean present) {
    if (k.loan() == Kinds.LoanField.REQUIRED && !present) {
      throw new RecordFormatException(k.name() + " records must name their loan (field loan)");
    }
    if (k.loan() == Kinds.LoanField.ABSENT && present) {
      throw new RecordFormatException(k.name() + " records name no loan; remove the field loan");
    }
  }

  public String kind() {
    return body.kind();
  }

  /** The entries this record depends on: its loan and every entry its body names, sorted. */
  public List<Cid> refs() {
    TreeSet<Cid> refs = new TreeSet<>(body.links());
    loan.ifPresent(refs::add);
    return List.copyOf(refs);
  }

  /** The record as a data-model map. */
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map().put("kind", kind()).put("schema", schema);
    loan.ifPresent(l -> b.put("loan", l));
    List<Cid> refs = refs();
    if (!refs.isEmpty()) {
      b.put("refs", IpldNode.list(refs.stream().map(c -> (IpldNode) IpldNode.of(c)).toList()));
    }
    return b.put("valueDate", valueDate.toString()).put("body", body.encode()).build();
  }

  /** The canonical DAG-CBOR bytes of {@link #encode()}. */
  public byte[] bytes() {
    return DagCbor.encode(encode());
  }

  /**
   * Decodes a record strictly: a known kind at its schema version, exactly the envelope and body
   * fields, every value of its type (amounts integers of minor units, dates ISO), refs exactly as
   * {@link #refs()} would write them.
   *
   * @throws RecordFormatException naming the fault
   */
  public static LendingRecord decode(IpldNode node) {
    Fields f = Fields.of(node, "record");
    String kind = f.string("kind", 64);
    Kinds.Kind k =
        Kinds.find(kind)
            .orElseThrow(
                () ->
                    new RecordFormatException(
                        "unknown record kind \"" + kind + "\"; known kinds are " + Kinds.names()));
    long schema = f.integer("schema", 1, Long.MAX_VALUE);
    if (schema != k.schema()) {
      throw new RecordFormatException(
          kind + " schema " + schema + " is not supported; this node reads schema " + k.schema());
    }
    Optional<Cid> loan = f.optional("loan", f::link);
    checkLoan(k, loan.isPresent());
    Optional<List<Cid>> refs =
        f.optional(
            "refs",
            r ->
                f.list(
                    r,
                    n -> {
                      if (n.kind() != IpldNode.Kind.LINK) {
                        throw new RecordFormatException("record.refs must hold links only");
                      }
                      return n.asLink();
                    }));
    LocalDate valueDate = f.date("valueDate");
    Body body = k.decoder().apply(Fields.of(f.node("body"), kind + " body"));
    f.end();
    LendingRecord r = new LendingRecord(schema, loan, valueDate, body);
    List<Cid> expected = r.refs();
    if (!refs.orElse(List.of()).equals(expected) || (refs.isPresent() && expected.isEmpty())) {
      throw new RecordFormatException(
          "record.refs must list exactly the loan and the entries the body names, sorted: "
              + expected);
    }
    return r;
  }

  /** Decodes a record from its DAG-CBOR bytes. */
  public static LendingRecord decode(byte[] bytes) {
    try {
      return decode(DagCbor.decode(bytes));
    } catch (CodecException e) {
      throw new RecordFormatException("not canonical DAG-CBOR: " + e.getMessage());
    }
  }
}
