package dev.tally.cluster;

import dev.tally.crypto.PeerId;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.util.Objects;
import java.util.Optional;

/**
 * The author challenged {@code peer} for blocks of the pin {@code cid} and the peer failed: {@code
 * {type: "cluster/audit", peer, cid, reason, evidence?}}. Every member folds it the same way: once
 * the failure counts, every member stops allocating {@code cid} to {@code peer}, and a peer with
 * {@link SettingsRecord#strikes} such pins gets none at all (ADR 021). A failure counts when its
 * evidence, the peer's own signed answer, proves it, or when enough members logged it ({@link
 * SettingsRecord#confirmations}), so one member cannot frame another (ADR 026). Only failures are
 * logged: a passed audit changes nothing.
 *
 * @param reason what the peer did wrong (missing block, wrong bytes, wrong proof, no answer)
 * @param evidence the peer's signed answer, when it answered
 */
public record AuditRecord(PeerId peer, Cid cid, String reason, Optional<AuditEvidence> evidence)
    implements ClusterRecord {
  public static final String TYPE = "cluster/audit";

  public static final int MAX_REASON = 512;

  public AuditRecord {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(evidence, "evidence");
    if (reason.length() > MAX_REASON) {
      reason = reason.substring(0, MAX_REASON);
    }
  }

  /** A failure without a signed answer (none came, or it was not signed). */
  public AuditRecord(PeerId peer, Cid cid, String reason) {
    this(peer, cid, reason, Optional.empty());
  }

  @Override
  public IpldMap toNode() {
    IpldMap.Builder b =
        IpldNode.map()
            .put("type", TYPE)
            .put("peer", peer.bytes())
            .put("cid", cid)
            .put("reason", reason);
    evidence.ifPresent(e -> b.put("evidence", e.toNode()));
    return b.build();
  }
}
