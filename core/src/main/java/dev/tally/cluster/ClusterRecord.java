package dev.tally.cluster;

import dev.tally.ipld.IpldMap;

/**
 * A record of the cluster log. Each is a DAG-CBOR map whose {@code type} names its kind; {@link
 * ClusterRecords#decode} parses one strictly, {@link #toNode} gives its one canonical form.
 */
public sealed interface ClusterRecord
    permits PinRecord,
        UnpinRecord,
        UpdateRecord,
        AdmitRecord,
        LeaveRecord,
        HeartbeatRecord,
        StateRecord {
  /** The record as a data-model map, {@code type} first. */
  IpldMap toNode();
}
