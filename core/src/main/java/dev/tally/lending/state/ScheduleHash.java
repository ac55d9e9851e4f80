package dev.tally.lending.state;

import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.record.Digest;
import dev.tally.lending.schedule.Installment;
import dev.tally.lending.schedule.Schedule;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code scheduleHash} a contract or reschedule commits to: SHA-256 of the DAG-CBOR list of
 * rows {@code [due date, principal minor units, interest minor units]}. Every signer commits to the
 * figures, so a peer whose maths differed would flag the record instead of silently diverging.
 */
public final class ScheduleHash {
  private ScheduleHash() {}

  public static Digest of(Schedule s) {
    List<IpldNode> rows = new ArrayList<>(s.rows().size());
    for (Installment r : s.rows()) {
      rows.add(
          IpldNode.list(
              IpldNode.of(r.due().toString()),
              IpldNode.of(r.principal().minor()),
              IpldNode.of(r.interest().minor())));
    }
    return Digest.sha256(DagCbor.encode(IpldNode.list(rows)));
  }
}
