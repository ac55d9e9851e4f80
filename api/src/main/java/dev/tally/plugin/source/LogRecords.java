package dev.tally.plugin.source;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.crypto.PeerId;
import dev.tally.ipld.IpldLink;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.ipld.IpldString;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.log.LogException;
import dev.tally.multiformats.Cid;
import dev.tally.plugin.spi.log.EntryPage;
import dev.tally.plugin.spi.log.Heads;
import dev.tally.plugin.spi.log.RecordQuery;
import dev.tally.plugin.spi.log.VerifiedEntry;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The verified entries of one log replica as SPI {@link VerifiedEntry} values. Entries are read
 * from the blockstore as they are consumed; only the CIDs of a delta are held in memory.
 */
final class LogRecords implements RecordQuery {
  private final Log log;
  private final Function<Cid, Optional<String>> flags;

  /**
   * @param flags why the lending rules refused an entry's record, empty when it was applied
   */
  LogRecords(Log log, Function<Cid, Optional<String>> flags) {
    this.log = log;
    this.flags = flags;
  }

  @Override
  public Heads heads() {
    return heads(log.heads());
  }

  static Heads heads(List<Cid> cids) {
    return new Heads(cids.stream().map(Cid::toString).toList());
  }

  @Override
  public long size() {
    return log.size();
  }

  @Override
  public Optional<VerifiedEntry> entry(String cid) {
    Cid c;
    try {
      c = Cid.parse(cid);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    return log.get(c).map(this::view);
  }

  @Override
  public EntryPage since(Heads from, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    List<Cid> delta = delta(from);
    List<VerifiedEntry> page = new ArrayList<>();
    Set<String> frontier = new HashSet<>(from.cids());
    for (Cid c : delta.subList(0, Math.min(limit, delta.size()))) {
      VerifiedEntry e = view(read(c));
      e.next().forEach(frontier::remove);
      frontier.add(e.cid());
      page.add(e);
    }
    return new EntryPage(page, new Heads(List.copyOf(frontier)), delta.size() > limit);
  }

  /** Every entry after {@code from}, oldest first, read lazily. */
  Stream<VerifiedEntry> after(Heads from) {
    List<Cid> delta = delta(from);
    Iterator<Cid> it = delta.iterator();
    Iterator<VerifiedEntry> entries =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public VerifiedEntry next() {
            return view(read(it.next()));
          }
        };
    return StreamSupport.stream(
        java.util.Spliterators.spliterator(entries, delta.size(), java.util.Spliterator.ORDERED),
        false);
  }

  /** The CIDs reachable from the heads and not from {@code from}, oldest first. */
  private List<Cid> delta(Heads from) {
    List<Cid> until = new ArrayList<>();
    for (String s : from.cids()) {
      Cid c;
      try {
        c = Cid.parse(s);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("checkpoint head \"" + s + "\" is not a CID", e);
      }
      if (!log.contains(c)) {
        throw new IllegalArgumentException(
            "checkpoint head " + s + " is not an entry of log " + log.id());
      }
      until.add(c);
    }
    if (until.isEmpty()) {
      return log.order();
    }
    List<Cid> newestFirst;
    try (Stream<Entry> s = log.traverse(log.heads(), until)) {
      newestFirst = new ArrayList<>(s.map(Entry::cid).toList());
    } catch (LogException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    Collections.reverse(newestFirst);
    return newestFirst;
  }

  private Entry read(Cid c) {
    return log.get(c)
        .orElseThrow(() -> new LogException("entry " + c + " vanished from the blockstore"));
  }

  VerifiedEntry view(Entry e) {
    Map<String, Object> record =
        e.record() instanceof IpldMap m
            ? RecordValues.map(m)
            : Map.of("value", RecordValues.of(e.record()));
    Optional<IpldMap> map = e.record() instanceof IpldMap m ? Optional.of(m) : Optional.empty();
    String kind = map.flatMap(m -> m.get("kind")).map(LogRecords::text).orElse("");
    Optional<String> loan =
        map.flatMap(m -> m.get("loan"))
            .map(n -> n instanceof IpldLink l ? l.cid().toString() : text(n))
            .filter(s -> !s.isEmpty());
    Optional<LocalDate> valueDate =
        map.flatMap(m -> m.get("valueDate")).map(LogRecords::text).flatMap(LogRecords::date);
    return new VerifiedEntry(
        e.cid().toString(),
        e.log().toString(),
        e.time(),
        PeerId.fromPublicKey(Ed25519PublicKey.of(e.author())).toString(),
        e.next().stream().map(Cid::toString).toList(),
        kind,
        loan,
        valueDate,
        record,
        flags.apply(e.cid()));
  }

  private static String text(IpldNode n) {
    return n instanceof IpldString s ? s.asString() : "";
  }

  private static Optional<LocalDate> date(String s) {
    try {
      return Optional.of(LocalDate.parse(s));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
