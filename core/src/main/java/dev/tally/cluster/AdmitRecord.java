package dev.tally.cluster;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.crypto.PeerId;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import java.util.Objects;

/**
 * A member admits {@code member}: {@code {type: "cluster/admit", member}}, the member named by its
 * peer id's bytes (an Ed25519 identity, whose key the log checks the newcomer's entries against).
 */
public record AdmitRecord(PeerId member) implements ClusterRecord {
  public static final String TYPE = "cluster/admit";

  public AdmitRecord {
    Objects.requireNonNull(member, "member");
    if (member.publicKey().filter(Ed25519PublicKey.class::isInstance).isEmpty()) {
      throw new ClusterException(
          "member "
              + member
              + " is not an Ed25519 peer id (12D3KooW...); members sign with Ed25519");
    }
  }

  @Override
  public IpldMap toNode() {
    return IpldNode.map().put("type", TYPE).put("member", member.bytes()).build();
  }
}
