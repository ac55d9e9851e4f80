package dev.tally.cluster;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Pin {@code cid} on at least {@code min} and at most {@code max} members: {@code {type:
 * "cluster/pin", cid, name, min, max, meta, expires?}}. A later pin of the same CID replaces it.
 *
 * @param expires when the pin lapses, milliseconds since the epoch; empty for never
 * @param meta free-form labels, as IPFS Cluster's pin metadata
 */
public record PinRecord(
    Cid cid, String name, int min, int max, Optional<Long> expires, SortedMap<String, String> meta)
    implements ClusterRecord {
  public static final String TYPE = "cluster/pin";

  /** Most replicas a pin may ask for. */
  public static final int MAX_REPLICATION = 1024;

  public static final int MAX_NAME = 256;
  public static final int MAX_META = 32;
  public static final int MAX_META_KEY = 64;
  public static final int MAX_META_VALUE = 1024;

  public PinRecord {
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(expires, "expires");
    if (name.length() > MAX_NAME) {
      throw new ClusterException("pin name is over " + MAX_NAME + " characters");
    }
    if (min < 1 || min > MAX_REPLICATION) {
      throw new ClusterException("replication min must be 1.." + MAX_REPLICATION + ", got " + min);
    }
    if (max < min || max > MAX_REPLICATION) {
      throw new ClusterException(
          "replication max must be " + min + " (the min).." + MAX_REPLICATION + ", got " + max);
    }
    if (expires.isPresent() && expires.get() < 0) {
      throw new ClusterException("pin expiry must be >= 0 ms since the epoch");
    }
    if (meta.size() > MAX_META) {
      throw new ClusterException("a pin holds at most " + MAX_META + " metadata entries");
    }
    for (Map.Entry<String, String> e : meta.entrySet()) {
      if (e.getKey().isEmpty() || e.getKey().length() > MAX_META_KEY) {
        throw new ClusterException("metadata keys must be 1.." + MAX_META_KEY + " characters");
      }
      if (e.getValue().length() > MAX_META_VALUE) {
        throw new ClusterException(
            "metadata value of \"" + e.getKey() + "\" is over " + MAX_META_VALUE + " characters");
      }
    }
    meta = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(meta));
  }

  /** A pin with a name and replication factors, no expiry and no metadata. */
  public static PinRecord of(Cid cid, String name, int min, int max) {
    return new PinRecord(cid, name, min, max, Optional.empty(), new TreeMap<>());
  }

  /** Whether the pin has lapsed at {@code nowMillis}. */
  public boolean expiredAt(long nowMillis) {
    return expires.isPresent() && expires.get() <= nowMillis;
  }

  /** The same pin for another CID (what an update moves). */
  public PinRecord withCid(Cid other) {
    return new PinRecord(other, name, min, max, expires, meta);
  }

  @Override
  public IpldMap toNode() {
    IpldMap.Builder m = IpldNode.map();
    meta.forEach(m::put);
    IpldMap.Builder b =
        IpldNode.map()
            .put("type", TYPE)
            .put("cid", cid)
            .put("name", name)
            .put("min", min)
            .put("max", max)
            .put("meta", m.build());
    expires.ifPresent(e -> b.put("expires", e));
    return b.build();
  }
}
