package dev.tally.cluster;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.crypto.PeerId;
import dev.tally.crypto.PeerIdFormatException;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Strict decoding of cluster records: a record must hold exactly the fields of its type, each of
 * the right kind, within the limits of its record class. Anything else is refused with the field at
 * fault, so a record has one meaning on every member.
 */
public final class ClusterRecords {
  private ClusterRecords() {}

  /**
   * The record in {@code node}.
   *
   * @throws ClusterException naming what is malformed
   */
  public static ClusterRecord decode(IpldNode node) {
    try {
      IpldMap m = node.asMap();
      String type =
          m.get("type")
              .orElseThrow(() -> new ClusterException("cluster record has no \"type\""))
              .asString();
      return switch (type) {
        case PinRecord.TYPE -> pin(m);
        case UnpinRecord.TYPE -> {
          fields(m, type, Set.of("cid"), Set.of());
          yield new UnpinRecord(link(m, "cid"));
        }
        case UpdateRecord.TYPE -> {
          fields(m, type, Set.of("from", "pin"), Set.of());
          IpldMap inner = m.get("pin").orElseThrow().asMap();
          if (!inner.get("type").map(IpldNode::asString).orElse("").equals(PinRecord.TYPE)) {
            throw new ClusterException("an update's \"pin\" must be a " + PinRecord.TYPE);
          }
          yield new UpdateRecord(link(m, "from"), pin(inner));
        }
        case LeaveRecord.TYPE -> {
          fields(m, type, Set.of("member"), Set.of());
          yield new LeaveRecord(peer(m, "member"));
        }
        case HeartbeatRecord.TYPE -> {
          fields(m, type, Set.of("at", "free"), Set.of());
          yield new HeartbeatRecord(
              m.get("at").orElseThrow().asLong(), m.get("free").orElseThrow().asLong());
        }
        case StateRecord.TYPE -> {
          fields(m, type, Set.of("cid", "status", "error"), Set.of());
          String status = m.get("status").orElseThrow().asString();
          PinState s =
              PinState.byName(status)
                  .orElseThrow(() -> new ClusterException("unknown pin status \"" + status + "\""));
          yield new StateRecord(link(m, "cid"), s, m.get("error").orElseThrow().asString());
        }
        case SettingsRecord.TYPE -> {
          fields(m, type, Set.of("heartbeat", "downAfter"), Set.of("strikes", "confirmations"));
          long confirmations =
              m.get("confirmations")
                  .map(IpldNode::asLong)
                  .orElse((long) SettingsRecord.DEFAULT_CONFIRMATIONS);
          if (confirmations < 1 || confirmations > SettingsRecord.MAX_CONFIRMATIONS) {
            throw new ClusterException(
                "audit confirmations must be 1.."
                    + SettingsRecord.MAX_CONFIRMATIONS
                    + ", got "
                    + confirmations);
          }
          long strikes =
              m.get("strikes").map(IpldNode::asLong).orElse((long) SettingsRecord.DEFAULT_STRIKES);
          if (strikes < 1 || strikes > SettingsRecord.MAX_STRIKES) {
            throw new ClusterException(
                "audit strikes must be 1.." + SettingsRecord.MAX_STRIKES + ", got " + strikes);
          }
          yield new SettingsRecord(
              Duration.ofMillis(m.get("heartbeat").orElseThrow().asLong()),
              Duration.ofMillis(m.get("downAfter").orElseThrow().asLong()),
              (int) strikes,
              (int) confirmations);
        }
        case AuditRecord.TYPE -> {
          fields(m, type, Set.of("peer", "cid", "reason"), Set.of("evidence"));
          String reason = m.get("reason").orElseThrow().asString();
          if (reason.length() > AuditRecord.MAX_REASON) {
            throw new ClusterException(
                "an audit reason is at most " + AuditRecord.MAX_REASON + " characters");
          }
          yield new AuditRecord(
              peer(m, "peer"),
              link(m, "cid"),
              reason,
              m.get("evidence").map(AuditEvidence::fromNode));
        }
        default -> throw new ClusterException("unknown cluster record type \"" + type + "\"");
      };
    } catch (IllegalStateException | ArithmeticException e) {
      throw new ClusterException("cluster record has a mistyped field: " + e.getMessage(), e);
    }
  }

  private static PinRecord pin(IpldMap m) {
    fields(m, PinRecord.TYPE, Set.of("cid", "name", "min", "max", "meta"), Set.of("expires"));
    TreeMap<String, String> meta = new TreeMap<>();
    IpldMap metaMap = m.get("meta").orElseThrow().asMap();
    if (metaMap.size() > PinRecord.MAX_META) {
      throw new ClusterException("a pin holds at most " + PinRecord.MAX_META + " metadata entries");
    }
    for (Map.Entry<String, IpldNode> e : metaMap.entries()) {
      meta.put(e.getKey(), e.getValue().asString());
    }
    Optional<Long> expires = m.get("expires").map(IpldNode::asLong);
    return new PinRecord(
        link(m, "cid"),
        m.get("name").orElseThrow().asString(),
        Math.toIntExact(m.get("min").orElseThrow().asLong()),
        Math.toIntExact(m.get("max").orElseThrow().asLong()),
        expires,
        meta);
  }

  private static void fields(IpldMap m, String type, Set<String> required, Set<String> optional) {
    for (String key : m.keys()) {
      if (!key.equals("type") && !required.contains(key) && !optional.contains(key)) {
        throw new ClusterException(type + " record has an unknown field \"" + key + "\"");
      }
    }
    for (String key : required) {
      if (!m.containsKey(key)) {
        throw new ClusterException(type + " record lacks the field \"" + key + "\"");
      }
    }
  }

  private static Cid link(IpldMap m, String field) {
    return m.get(field).orElseThrow().asLink();
  }

  private static PeerId peer(IpldMap m, String field) {
    PeerId peer;
    try {
      peer = PeerId.fromBytes(m.get(field).orElseThrow().asBytes());
    } catch (PeerIdFormatException e) {
      throw new ClusterException("\"" + field + "\" is not a peer id: " + e.getMessage(), e);
    }
    if (peer.publicKey().filter(Ed25519PublicKey.class::isInstance).isEmpty()) {
      throw new ClusterException(
          "\"" + field + "\" is not an Ed25519 peer id (12D3KooW...); members sign with Ed25519");
    }
    return peer;
  }
}
