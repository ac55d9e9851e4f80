package dev.tally.bench;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.DagCbor;
import dev.tally.lending.money.Currency;
import dev.tally.lending.money.Money;
import dev.tally.lending.money.Rate;
import dev.tally.lending.record.AgreedPart;
import dev.tally.lending.record.Body;
import dev.tally.lending.record.ChargeRules;
import dev.tally.lending.record.Consent;
import dev.tally.lending.record.ContractGrace;
import dev.tally.lending.record.Digest;
import dev.tally.lending.record.Disbursed;
import dev.tally.lending.record.LendingRecord;
import dev.tally.lending.record.LoanAgreed;
import dev.tally.lending.record.LoanRequested;
import dev.tally.lending.record.OfferMade;
import dev.tally.lending.record.PartyId;
import dev.tally.lending.record.PartyRegistered;
import dev.tally.lending.record.RepaymentReceived;
import dev.tally.lending.schedule.Amortization;
import dev.tally.lending.schedule.DaysInMonth;
import dev.tally.lending.schedule.DaysInYear;
import dev.tally.lending.schedule.InterestMethod;
import dev.tally.lending.schedule.InterestPeriod;
import dev.tally.lending.schedule.Schedule;
import dev.tally.lending.schedule.ScheduleGenerator;
import dev.tally.lending.schedule.ScheduleTerms;
import dev.tally.lending.state.LendingEntry;
import dev.tally.lending.state.LendingFold;
import dev.tally.lending.state.LendingState;
import dev.tally.lending.state.ScheduleHash;
import dev.tally.lending.state.Terms;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The lending fold on this machine: a full fold of N loans × 10 records from empty (records/s),
 * next to the anchor of merely decoding the same records' DAG-CBOR bytes; the latency of folding
 * one more record at the tail (p50/p99) and of reading one loan's state; the cost of a record that
 * sorts before the tail (its loan replayed) next to a late registration (the whole log replayed);
 * and schedules generated per second.
 *
 * <p>Each loan: LoanRequested, two OfferMade, LoanAgreed (servicer's proposal), three Consents,
 * Disbursed and two RepaymentReceived; records are DAG-CBOR decoded as a replica would receive
 * them, and the fold checks every contract by regenerating its schedule.
 *
 * <p>Run: {@code java -Xmx8g -cp integration-tests/target/benchmarks.jar
 * dev.tally.bench.LendingBench [--loans 100000] [--updates 20000]}.
 */
public final class LendingBench {
  private static final Currency EUR = Currency.of("EUR");
  private static final LocalDate DAY0 = LocalDate.of(2026, 1, 15);
  private static final Digest REF = Digest.sha256(new byte[] {1});

  private LendingBench() {}

  private record Actor(byte[] key, PartyId id) {}

  private static Actor actor(int seed) {
    byte[] s = new byte[32];
    s[0] = (byte) seed;
    s[1] = (byte) (seed >> 8);
    s[2] = 9;
    Ed25519PrivateKey k = Ed25519PrivateKey.fromSeed(s);
    return new Actor(k.publicKey().raw(), PartyId.of(k.publicKey()));
  }

  /** Builds entries as a replica receives them: records decoded from their DAG-CBOR bytes. */
  private static final class Writer {
    final List<LendingEntry> entries = new ArrayList<>();
    final List<byte[]> bytes = new ArrayList<>();
    long time;

    Cid add(Actor by, Optional<Cid> loan, LocalDate date, Body body) {
      byte[] record = LendingRecord.of(loan, date, body).bytes();
      time++;
      byte[] id = Arrays.copyOf(record, record.length + 8);
      for (int i = 0; i < 8; i++) {
        id[record.length + i] = (byte) (time >>> (8 * i));
      }
      Cid cid = Cid.v1(DagCbor.CODE, Multihash.sha256(id));
      bytes.add(record);
      entries.add(new LendingEntry(cid, time, by.key(), DagCbor.decode(record)));
      return cid;
    }
  }

  public static void main(String[] args) {
    int loans = 100_000;
    int updates = 20_000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--loans" -> loans = Integer.parseInt(args[++i]);
        case "--updates" -> updates = Integer.parseInt(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "unknown option " + args[i] + "; usage: LendingBench [--loans N] [--updates N]");
      }
    }
    System.out.printf(
        "Tally lending benchmark: %,d loans x 10 records%n%s %s (%s), %d CPUs, load average %.1f%n%n",
        loans,
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        System.getProperty("java.vendor"),
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    Actor servicer = actor(1);
    Actor l1 = actor(2);
    Actor l2 = actor(3);
    Actor[] borrowers = new Actor[1000];
    Writer w = new Writer();
    w.add(
        servicer,
        Optional.empty(),
        DAY0,
        new PartyRegistered(List.of("servicer"), Optional.empty()));
    w.add(l1, Optional.empty(), DAY0, new PartyRegistered(List.of("lender"), Optional.empty()));
    w.add(l2, Optional.empty(), DAY0, new PartyRegistered(List.of("lender"), Optional.empty()));
    for (int b = 0; b < borrowers.length; b++) {
      borrowers[b] = actor(100 + b);
      w.add(
          borrowers[b],
          Optional.empty(),
          DAY0,
          new PartyRegistered(List.of("borrower"), Optional.empty()));
    }
    Money principal = Money.parse("10000.00", EUR);
    List<Cid> loanIds = new ArrayList<>(loans);
    long loan0Start = 0;
    for (int n = 0; n < loans; n++) {
      Actor b = borrowers[n % borrowers.length];
      // Every loan its own principal and dates, so no two contracts share a schedule.
      Money a1 = Money.of(EUR, 600_000 + n);
      Money a2 = Money.of(EUR, 400_000);
      Money amount = a1.plus(a2);
      LocalDate day = DAY0.plusDays(n % 700);
      Cid loan =
          w.add(
              b,
              Optional.empty(),
              day.minusDays(5),
              new LoanRequested(
                  amount,
                  12,
                  1,
                  "working-capital",
                  Rate.parsePercent("15"),
                  Amortization.EQUAL_INSTALLMENTS,
                  day.plusDays(30)));
      loanIds.add(loan);
      if (n == 0) {
        loan0Start = w.time;
      }
      Cid o1 =
          w.add(
              l1,
              Optional.of(loan),
              day.minusDays(4),
              new OfferMade(a1, Rate.parsePercent("12"), day.plusDays(5)));
      Cid o2 =
          w.add(
              l2,
              Optional.of(loan),
              day.minusDays(4),
              new OfferMade(a2, Rate.parsePercent("12"), day.plusDays(5)));
      LoanAgreed draft = contract(servicer, l1, l2, o1, o2, a1, a2, day, REF);
      Digest hash = ScheduleHash.of(ScheduleGenerator.generate(Terms.of(draft)));
      Cid agreed =
          w.add(
              servicer,
              Optional.of(loan),
              day,
              contract(servicer, l1, l2, o1, o2, a1, a2, day, hash));
      for (Actor a : List.of(b, l1, l2)) {
        w.add(a, Optional.of(loan), day, new Consent(agreed));
      }
      w.add(servicer, Optional.of(loan), day, new Disbursed(amount, REF));
      w.add(
          servicer,
          Optional.of(loan),
          day.plusMonths(1),
          new RepaymentReceived(Money.parse("888.49", EUR), REF));
      w.add(
          servicer,
          Optional.of(loan),
          day.plusMonths(2),
          new RepaymentReceived(Money.parse("888.49", EUR), REF));
    }
    long loan0End = loan0Start + 9;
    List<LendingEntry> all = w.entries;
    int records = all.size();

    // Anchor: decoding the same records from DAG-CBOR bytes, which every replica does anyway.
    double decodeRate = 0;
    double foldRate = 0;
    double decodeCpuRate = 0;
    double foldCpuRate = 0;
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    LendingState state = null;
    for (int run = 0; run < 3; run++) {
      System.gc();
      long t0 = System.nanoTime();
      long c0 = threads.getCurrentThreadCpuTime();
      long sink = 0;
      for (byte[] b : w.bytes) {
        sink += DagCbor.decode(b).kind().ordinal();
      }
      decodeRate = Math.max(decodeRate, records / secs(t0));
      decodeCpuRate =
          Math.max(decodeCpuRate, records / ((threads.getCurrentThreadCpuTime() - c0) / 1e9));
      if (sink < 0) {
        throw new IllegalStateException();
      }
      System.gc();
      t0 = System.nanoTime();
      c0 = threads.getCurrentThreadCpuTime();
      LendingFold fold = new LendingFold();
      for (LendingEntry e : all) {
        fold.add(e);
      }
      foldRate = Math.max(foldRate, records / secs(t0));
      foldCpuRate =
          Math.max(foldCpuRate, records / ((threads.getCurrentThreadCpuTime() - c0) / 1e9));
      state = fold.state(List.of());
    }
    if (!state.flagged().isEmpty() || state.loans().size() != loans) {
      throw new IllegalStateException(
          "the benchmark log folded wrong: "
              + state.flagged().size()
              + " flagged, e.g. "
              + state.flagged().get(0));
    }

    // Incremental: one more repayment per loan, folded one at a time at the tail.
    LendingFold fold = new LendingFold();
    all.forEach(fold::add);
    Writer more = new Writer();
    more.time = w.time;
    for (int u = 0; u < updates; u++) {
      more.add(
          servicer,
          Optional.of(loanIds.get(u % loans)),
          DAY0.plusMonths(3),
          new RepaymentReceived(Money.parse("888.49", EUR), REF));
    }
    long[] addNanos = new long[updates];
    long[] queryNanos = new long[updates];
    for (int u = 0; u < updates; u++) {
      LendingEntry e = more.entries.get(u);
      long t0 = System.nanoTime();
      fold.add(e);
      addNanos[u] = System.nanoTime() - t0;
      t0 = System.nanoTime();
      fold.loan(loanIds.get((u * 7919) % loans)).orElseThrow().outstanding();
      queryNanos[u] = System.nanoTime() - t0;
    }
    // A record that sorts before the tail (a join brought a concurrent one): a repayment of loan 0
    // placed between its own records and everything after them replays loan 0's records only.
    Writer early = new Writer();
    early.time = loan0End;
    early.add(
        servicer,
        Optional.of(loanIds.get(0)),
        DAY0.plusMonths(3),
        new RepaymentReceived(Money.parse("1.00", EUR), REF));
    long t0 = System.nanoTime();
    fold.add(early.entries.get(0));
    double lateLoanSecs = secs(t0);
    // A late registration can change the roles behind any record: the whole log is replayed.
    Writer registration = new Writer();
    registration.time = 2;
    // (Its own date: an entry's CID hashes record and time, not the author.)
    registration.add(
        actor(5000),
        Optional.empty(),
        DAY0.plusDays(1),
        new PartyRegistered(List.of("lender"), Optional.empty()));
    t0 = System.nanoTime();
    fold.add(registration.entries.get(0));
    double replaySecs = secs(t0);
    t0 = System.nanoTime();
    LendingState snapshot = fold.state(List.of());
    double snapshotSecs = secs(t0);

    // Schedules: the 12-month annuity of RECORDS.md, and daily actual/365 equal principal.
    ScheduleTerms monthly =
        ScheduleTerms.monthly(
            principal, Rate.parsePercent("12"), Amortization.EQUAL_INSTALLMENTS, 12, DAY0);
    ScheduleTerms daily =
        new ScheduleTerms(
            principal,
            Rate.parsePercent("12"),
            InterestMethod.DECLINING_BALANCE,
            Amortization.EQUAL_PRINCIPAL,
            InterestPeriod.DAILY,
            DaysInYear.ACTUAL,
            DaysInMonth.ACTUAL,
            1,
            360,
            DAY0,
            DAY0.plusMonths(1),
            dev.tally.lending.schedule.Grace.NONE);
    double monthlyRate = schedules(monthly, 200_000);
    double dailyRate = schedules(daily, 2_000);

    System.out.printf("%-66s %14s %14s %7s %12s%n", "figure", "value", "anchor", "ratio", "goal");
    System.out.printf(
        "%-66s %,10.0f r/s %,10.0f r/s %7.2f %12s%n",
        "full fold from empty, "
            + String.format("%,d", records)
            + " records (anchor: DAG-CBOR decode)",
        foldRate,
        decodeRate,
        foldRate / decodeRate,
        ">= 100,000");
    System.out.printf(
        "%-66s %,10.0f r/s %,10.0f r/s %7.2f %12s%n",
        "same, by this thread's CPU time (steadier on a loaded machine)",
        foldCpuRate,
        decodeCpuRate,
        foldCpuRate / decodeCpuRate,
        ">= 100,000");
    Arrays.sort(addNanos);
    Arrays.sort(queryNanos);
    System.out.printf(
        "%-66s %11.3f ms %11.3f ms %7s %12s%n",
        "fold one more record at the tail, p50 / p99 (" + updates + ")",
        addNanos[updates / 2] / 1e6,
        addNanos[(int) (updates * 0.99)] / 1e6,
        "",
        "p99 < 5 ms");
    System.out.printf(
        "%-66s %11.3f ms %11.3f ms %7s %12s%n",
        "one loan's state, p50 / p99",
        queryNanos[updates / 2] / 1e6,
        queryNanos[(int) (updates * 0.99)] / 1e6,
        "",
        "p99 < 10 ms");
    System.out.printf(
        "%-66s %11.3f ms %12.2f s %7.5f %12s%n",
        "a late record of one loan (anchor: late registration, full replay)",
        lateLoanSecs * 1e3,
        replaySecs,
        lateLoanSecs / replaySecs,
        "");
    System.out.printf(
        "%-66s %12.2f s %12s %7s %12s%n",
        "whole-state snapshot, " + String.format("%,d", snapshot.loans().size()) + " loans",
        snapshotSecs,
        "",
        "",
        "");
    System.out.printf(
        "%-66s %,10.0f s/s %,10.0f r/s %7s %12s%n",
        "schedules/s, 12-month annuity (anchor: rows/s)", monthlyRate, monthlyRate * 12, "", "");
    System.out.printf(
        "%-66s %,10.0f s/s %,10.0f r/s %7s %12s%n",
        "schedules/s, 360 daily actual/365 rows (anchor: rows/s)",
        dailyRate,
        dailyRate * 360,
        "",
        "");
  }

  private static LoanAgreed contract(
      Actor servicer,
      Actor l1,
      Actor l2,
      Cid o1,
      Cid o2,
      Money a1,
      Money a2,
      LocalDate day,
      Digest hash) {
    return new LoanAgreed(
        a1.plus(a2),
        List.of(new AgreedPart("a", l1.id(), a1, o1), new AgreedPart("b", l2.id(), a2, o2)),
        servicer.id(),
        Rate.parsePercent("12"),
        InterestMethod.DECLINING_BALANCE,
        Amortization.EQUAL_INSTALLMENTS,
        InterestPeriod.SAME_AS_REPAYMENT_PERIOD,
        DaysInYear.ACTUAL,
        DaysInMonth.ACTUAL,
        1,
        12,
        day,
        day.plusMonths(1),
        ContractGrace.NONE,
        "mifos-standard-strategy",
        new ChargeRules(Optional.of(Money.parse("25", EUR)), 5, false),
        day.plusDays(7),
        hash);
  }

  private static double schedules(ScheduleTerms t, int n) {
    for (int i = 0; i < n / 10; i++) {
      ScheduleGenerator.generate(t);
    }
    double best = 0;
    for (int run = 0; run < 3; run++) {
      long t0 = System.nanoTime();
      long sink = 0;
      for (int i = 0; i < n; i++) {
        Schedule s = ScheduleGenerator.generate(t);
        sink += s.last().total().minor();
      }
      best = Math.max(best, n / secs(t0));
      if (sink == 42) {
        System.out.print("");
      }
    }
    return best;
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
