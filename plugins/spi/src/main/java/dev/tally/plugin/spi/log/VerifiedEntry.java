package dev.tally.plugin.spi.log;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One log entry that passed every check (canonical bytes, hash, admitted writer, signature, links),
 * with its lending record.
 *
 * <p>{@code record} is the record's IPLD data model as Java values: {@code Map<String, Object>}
 * (keys in canonical order), {@code List<Object>}, {@link String}, {@link Long} (or {@link
 * java.math.BigInteger} beyond 64 bits), {@link Boolean}, {@link Double}, {@link Link}, read-only
 * {@link java.nio.ByteBuffer} for bytes and {@link Null#VALUE}; all unmodifiable.
 *
 * @param cid the entry's CID
 * @param log the log id (the manifest's CID)
 * @param time the entry's Lamport time
 * @param author the author's peer id
 * @param next the heads the author saw (the entries this one follows)
 * @param kind the record kind ({@code LoanRequested}, {@code RepaymentReceived}, ...; empty text
 *     for an entry whose record is not a lending record)
 * @param loan the loan the record is about, when it names one
 * @param valueDate the record's business date, when it has one
 * @param record the whole record
 * @param flag why the lending rules refused the record (kept in the log, applied to no figure);
 *     empty for a record that was applied
 */
public record VerifiedEntry(
    String cid,
    String log,
    long time,
    String author,
    List<String> next,
    String kind,
    Optional<String> loan,
    Optional<LocalDate> valueDate,
    Map<String, Object> record,
    Optional<String> flag) {
  public VerifiedEntry {
    next = List.copyOf(next);
    record = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(record));
  }

  /** Whether the record was applied to the lending state. */
  public boolean applied() {
    return flag.isEmpty();
  }
}
