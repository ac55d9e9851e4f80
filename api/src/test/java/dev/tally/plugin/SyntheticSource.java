package dev.tally.plugin;

import dev.tally.plugin.spi.lending.LendingSnapshot;
import dev.tally.plugin.spi.lending.Loan;
import dev.tally.plugin.spi.log.EntryPage;
import dev.tally.plugin.spi.log.Heads;
import dev.tally.plugin.spi.log.RecordQuery;
import dev.tally.plugin.spi.log.VerifiedEntry;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A lending source over entries and loans the test writes: entries are appended in total order
 * (each after the entries it names in {@code next}), loans set directly.
 */
final class SyntheticSource implements LendingSource {
  private final Map<String, VerifiedEntry> entries = new LinkedHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile LendingSnapshot snapshot =
      LendingSnapshot.of(Heads.NONE, LocalDate.of(2026, 1, 1), List.of());

  synchronized VerifiedEntry append(String cid, String kind, String... next) {
    for (String n : next) {
      if (!entries.containsKey(n)) {
        throw new IllegalArgumentException("unknown next " + n);
      }
    }
    VerifiedEntry e =
        new VerifiedEntry(
            cid,
            "bafylog",
            entries.size() + 1,
            "12D3KooWtest",
            List.of(next),
            kind,
            Optional.empty(),
            Optional.empty(),
            Map.of("kind", kind),
            Optional.empty());
    entries.put(cid, e);
    snapshot = LendingSnapshot.of(heads(), snapshot.businessDate(), snapshot.loans());
    listeners.forEach(Runnable::run);
    return e;
  }

  void loans(LocalDate businessDate, List<Loan> loans) {
    snapshot = LendingSnapshot.of(heads(), businessDate, loans);
  }

  synchronized Heads heads() {
    Set<String> linked = new HashSet<>();
    entries.values().forEach(e -> linked.addAll(e.next()));
    return new Heads(entries.keySet().stream().filter(c -> !linked.contains(c)).toList());
  }

  @Override
  public LendingSnapshot snapshot() {
    return snapshot;
  }

  @Override
  public RecordQuery records() {
    return new RecordQuery() {
      @Override
      public Heads heads() {
        return SyntheticSource.this.heads();
      }

      @Override
      public long size() {
        return entries.size();
      }

      @Override
      public Optional<VerifiedEntry> entry(String cid) {
        return Optional.ofNullable(entries.get(cid));
      }

      @Override
      public EntryPage since(Heads from, int limit) {
        List<VerifiedEntry> all = entriesAfter(from).toList();
        List<VerifiedEntry> page = all.subList(0, Math.min(limit, all.size()));
        Set<String> frontier = new HashSet<>(from.cids());
        for (VerifiedEntry e : page) {
          e.next().forEach(frontier::remove);
          frontier.add(e.cid());
        }
        return new EntryPage(page, new Heads(List.copyOf(frontier)), page.size() < all.size());
      }
    };
  }

  @Override
  public synchronized Stream<VerifiedEntry> entriesAfter(Heads from) {
    Set<String> seen = new HashSet<>();
    ArrayDeque<String> todo = new ArrayDeque<>(from.cids());
    while (!todo.isEmpty()) {
      String c = todo.poll();
      VerifiedEntry e = entries.get(c);
      if (e == null) {
        throw new IllegalArgumentException("entry " + c + " is not in the log");
      }
      if (seen.add(c)) {
        todo.addAll(e.next());
      }
    }
    List<VerifiedEntry> out = new ArrayList<>();
    for (VerifiedEntry e : entries.values()) {
      if (!seen.contains(e.cid())) {
        out.add(e);
      }
    }
    return out.stream();
  }

  @Override
  public AutoCloseable onChange(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }
}
