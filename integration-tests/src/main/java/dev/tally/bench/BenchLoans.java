package dev.tally.bench;

import dev.tally.plugin.LendingSource;
import dev.tally.plugin.spi.lending.CashFlow;
import dev.tally.plugin.spi.lending.CashFlowKind;
import dev.tally.plugin.spi.lending.Components;
import dev.tally.plugin.spi.lending.Installment;
import dev.tally.plugin.spi.lending.LendingSnapshot;
import dev.tally.plugin.spi.lending.Loan;
import dev.tally.plugin.spi.lending.LoanStatus;
import dev.tally.plugin.spi.lending.Money;
import dev.tally.plugin.spi.lending.Part;
import dev.tally.plugin.spi.log.EntryPage;
import dev.tally.plugin.spi.log.Heads;
import dev.tally.plugin.spi.log.RecordQuery;
import dev.tally.plugin.spi.log.VerifiedEntry;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A loan book of N loans as the plugins see it (SPI views): 12 monthly installments of 888.49 EUR
 * (the RECORDS.md vector's shape), some paid, two lender parts each, days past due spread as a
 * portfolio's are (most current, a tail in every bucket). Schedules are shared between loans of the
 * same shape, so 100,000 loans fit in a few hundred MB.
 */
final class BenchLoans {
  static final int INSTALLMENTS = 12;
  private static final LocalDate START = LocalDate.of(2026, 1, 1);
  private static final LocalDate TODAY = LocalDate.of(2026, 9, 15);

  private final List<Loan> loans;
  private volatile Heads heads = new Heads(List.of("bafybenchheads0"));
  private volatile LendingSnapshot snapshot;

  BenchLoans(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<List<Installment>> schedules = new ArrayList<>();
    for (int paid = 0; paid <= INSTALLMENTS; paid++) {
      schedules.add(schedule(paid));
    }
    loans = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int roll = random.nextInt(100);
      int dpd =
          roll < 70
              ? 0
              : roll < 85
                  ? 1 + random.nextInt(30)
                  : roll < 90
                      ? 31 + random.nextInt(30)
                      : roll < 95 ? 61 + random.nextInt(30) : 91 + random.nextInt(200);
      // Installments are due on the 1st; a loan is as far behind as its days past due say.
      int paid = Math.max(0, 8 - (dpd + 29) / 30);
      Loan l = loan(i, schedules.get(paid), dpd);
      loans.add(l);
    }
    snapshot = LendingSnapshot.of(heads, TODAY, loans);
  }

  static String id(int i) {
    return String.format("bafybenchloan%07d", i);
  }

  /** The same loans at other heads: plugins must re-index (the snapshot is built here). */
  void moveHeads(int i) {
    heads = new Heads(List.of("bafybenchheads" + (i + 1)));
    snapshot = LendingSnapshot.of(heads, TODAY, loans);
  }

  private static Money eur(long minor) {
    return new Money("EUR", minor, 2);
  }

  private static Components eur(long p, long i) {
    return new Components(eur(p), eur(i), eur(0), eur(0));
  }

  private static List<Installment> schedule(int paid) {
    List<Installment> rows = new ArrayList<>();
    long balance = 1_000_000;
    Components zero = eur(0, 0);
    for (int k = 1; k <= INSTALLMENTS; k++) {
      long interest = balance / 100;
      long principal = k == INSTALLMENTS ? balance : 88849 - interest;
      balance -= principal;
      Components due = eur(principal, interest);
      boolean settled = k <= paid;
      LocalDate date = START.plusMonths(k);
      rows.add(
          new Installment(
              k,
              date,
              due,
              settled ? due : zero,
              zero,
              settled ? zero : due,
              settled ? Optional.of(date) : Optional.empty()));
    }
    return List.copyOf(rows);
  }

  private static Loan loan(int i, List<Installment> schedule, int dpd) {
    Components outstanding = eur(0, 0);
    for (Installment r : schedule) {
      outstanding = outstanding.plus(r.outstanding());
    }
    long left = outstanding.principal().minor();
    long a = left * 6 / 10;
    String id = id(i);
    List<Part> parts =
        List.of(
            new Part(
                "p1",
                "lender-" + (i % 97),
                eur(600_000),
                eur(a),
                eur(0, 0),
                eur(0),
                Optional.empty()),
            new Part(
                "p2",
                "lender-" + (i % 89 + 100),
                eur(400_000),
                eur(left - a),
                eur(0, 0),
                eur(0),
                Optional.empty()));
    List<CashFlow> flows =
        List.of(
            new CashFlow(
                "bafybenchd" + i,
                START,
                "p1",
                parts.get(0).lender(),
                CashFlowKind.DISBURSEMENT,
                eur(600_000, 0)),
            new CashFlow(
                "bafybenchd" + i,
                START,
                "p2",
                parts.get(1).lender(),
                CashFlowKind.DISBURSEMENT,
                eur(400_000, 0)));
    return new Loan(
        id,
        LoanStatus.ACTIVE,
        "borrower-" + i,
        Optional.of("servicer"),
        "EUR",
        eur(1_000_000),
        120_000,
        eur(1_000_000),
        Optional.of(START),
        outstanding,
        schedule,
        parts,
        flows,
        List.of(),
        dpd,
        dpd == 0 ? Optional.empty() : Optional.of(TODAY.minusDays(dpd)),
        List.of());
  }

  /** A source serving these loans at the current heads; it holds no log entries. */
  LendingSource source() {
    return new LendingSource() {
      @Override
      public LendingSnapshot snapshot() {
        return snapshot;
      }

      @Override
      public RecordQuery records() {
        return new RecordQuery() {
          @Override
          public Heads heads() {
            return heads;
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
            return new EntryPage(List.of(), heads, false);
          }
        };
      }

      @Override
      public Stream<VerifiedEntry> entriesAfter(Heads from) {
        return Stream.empty();
      }

      @Override
      public AutoCloseable onChange(Runnable listener) {
        return () -> {};
      }
    };
  }
}
