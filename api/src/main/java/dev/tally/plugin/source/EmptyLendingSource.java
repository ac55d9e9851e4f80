package dev.tally.plugin.source;

import dev.tally.plugin.LendingSource;
import dev.tally.plugin.spi.lending.LendingSnapshot;
import dev.tally.plugin.spi.log.EntryPage;
import dev.tally.plugin.spi.log.Heads;
import dev.tally.plugin.spi.log.RecordQuery;
import dev.tally.plugin.spi.log.VerifiedEntry;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The source of a node that holds no lending log: no entries, no loans. Plugins still load, serve
 * their routes and answer with empty heads.
 */
final class EmptyLendingSource implements LendingSource, RecordQuery {
  @Override
  public LendingSnapshot snapshot() {
    return LendingSnapshot.of(Heads.NONE, LocalDate.now(ZoneOffset.UTC), List.of());
  }

  @Override
  public RecordQuery records() {
    return this;
  }

  @Override
  public Stream<VerifiedEntry> entriesAfter(Heads from) {
    known(from);
    return Stream.empty();
  }

  @Override
  public AutoCloseable onChange(Runnable listener) {
    return () -> {};
  }

  @Override
  public Heads heads() {
    return Heads.NONE;
  }

  @Override
  public long size() {
    return 0;
  }

  @Override
  public Optional<VerifiedEntry> entry(String cid) {
    return Optional.empty();
  }

  @Override
  public EntryPage since(Heads from, int limit) {
    known(from);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    return new EntryPage(List.of(), Heads.NONE, false);
  }

  private static void known(Heads from) {
    if (!from.isEmpty()) {
      throw new IllegalArgumentException(
          "this node holds no lending log, so it has no entry " + from.cids().get(0));
    }
  }
}
