package dev.tally.cluster;

import dev.tally.ipld.IpldMap;

/**
 * A record of the cluster log. Each is a DAG-CBOR map whose {@code type} names its kind; {@link
 * ClusterRecords#decode} parses one strictly, {@link #toNode} gives its one canonical form. Members
 * are admitted by the log's own {@code WriterAdded} records ({@link dev.tally.log.Admission}), so
 * one signed entry both lets the newcomer write and makes it a member.
 */
public sealed interface ClusterRecord
    permits PinRecord,
        UnpinRecord,
        UpdateRecord,
        LeaveRecord,
        HeartbeatRecord,
        StateRecord,
        SettingsRecord,
        AuditRecord {
  /** The record as a data-model map, {@code type} first. */
  IpldMap toNode();
}
