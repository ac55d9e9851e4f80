package dev.tally.cli;

import dev.tally.lending.money.Currency;
import dev.tally.lending.money.Money;
import dev.tally.lending.record.Digest;
import dev.tally.lending.record.LendingRecord;
import dev.tally.lending.record.PartyId;
import dev.tally.lending.state.LendingState;
import dev.tally.lending.state.LoanState;
import dev.tally.lending.write.LendingWriter;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What every {@code tally lending <record>} command shares: the log, the value date, this node's
 * key as the author, judging the record against the local replica, appending it and printing the
 * new entry's CID.
 */
abstract class LendingWrite implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(index = "0", paramLabel = "LOG", description = "The lending log id.")
  String log;

  @Option(
      names = "--value-date",
      paramLabel = "DATE",
      description = "Business date of the record (default: today, UTC).")
  LocalDate valueDate;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** The record to write, given the state of the local replica and this node's party id. */
  abstract LendingRecord record(LendingState state, PartyId me);

  LocalDate date() {
    return valueDate != null ? valueDate : LocalDate.now(ZoneOffset.UTC);
  }

  @Override
  public Integer call() throws java.io.IOException {
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      return throughDaemon(daemon.get());
    }
    try (Repo r = repo.open()) {
      Log l = Logs.open(r, log);
      LendingWriter writer = new LendingWriter(l, Logs.nodeKey(r));
      PartyId me = PartyId.of(Logs.nodeKey(r).publicKey());
      Entry e = writer.append(record(writer.state(), me));
      Logs.headsFiles(r).save(l.id(), l.heads());
      spec.commandLine().getOut().println(e.cid());
    }
    return 0;
  }

  /**
   * With a daemon holding the repo: the daemon builds the record from the same options against its
   * replica ({@code lending/<command>}), judges it and appends it.
   */
  private int throughDaemon(ApiClient api) throws java.io.IOException {
    JsonObject r = api.json("lending/" + spec.name(), LendingForms.options(spec, log));
    spec.commandLine().getOut().println(r.getString("Cid"));
    return 0;
  }

  static LoanState loan(LendingState state, Cid id) {
    return state
        .loan(id)
        .orElseThrow(
            () -> new IllegalArgumentException("refused: unknown loan " + id + " in this log"));
  }

  /** An amount in the loan's currency (or {@code currency} when given). */
  static Money amount(String amount, LoanState loan, String currency) {
    Currency c = currency != null ? Currency.of(currency) : loan.currency();
    return Money.parse(amount, c);
  }

  /**
   * SHA-256 of a payment reference (the reference itself stays off the log), else 32 random bytes.
   */
  static Digest reference(String reference) {
    if (reference != null) {
      return Digest.sha256(reference.getBytes(StandardCharsets.UTF_8));
    }
    byte[] b = new byte[Digest.LENGTH];
    new SecureRandom().nextBytes(b);
    return Digest.of(b);
  }
}
