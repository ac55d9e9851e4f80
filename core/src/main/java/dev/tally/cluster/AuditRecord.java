package dev.tally.cluster;

import dev.tally.crypto.PeerId;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.util.Objects;

/**
 * The author challenged {@code peer} for blocks of the pin {@code cid} and the peer failed: {@code
 * {type: "cluster/audit", peer, cid, reason}}. Every member folds it the same way, so every member
 * stops allocating {@code cid} to {@code peer}, and a peer with {@link SettingsRecord#strikes} such
 * pins gets none at all (ADR 021). Only failures are logged: a passed audit changes nothing.
 *
 * @param reason what the peer did wrong (missing block, wrong bytes, wrong proof, no answer)
 */
public record AuditRecord(PeerId peer, Cid cid, String reason) implements ClusterRecord {
  public static final String TYPE = "cluster/audit";

  public static final int MAX_REASON = 512;

  public AuditRecord {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(reason, "reason");
    if (reason.length() > MAX_REASON) {
      reason = reason.substring(0, MAX_REASON);
    }
  }

  @Override
  public IpldMap toNode() {
    return IpldNode.map()
        .put("type", TYPE)
        .put("peer", peer.bytes())
        .put("cid", cid)
        .put("reason", reason)
        .build();
  }
}
