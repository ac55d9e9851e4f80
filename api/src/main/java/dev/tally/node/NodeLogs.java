package dev.tally.node;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.log.store.Replicas;
import dev.tally.log.sync.LogSync;
import dev.tally.storage.logindex.H2LogIndex;
import java.util.Objects;

/**
 * The log half of a running node: the replicas it holds, their replication, and the key its appends
 * are signed with. The replicas' methods may block: call them from worker threads.
 *
 * @param replicas the logs this node holds
 * @param sync replication of those logs with peers
 * @param index the SQL index of their entries, kept in step with each log
 * @param key the node's identity key, which signs what this node appends
 */
public record NodeLogs(Replicas replicas, LogSync sync, H2LogIndex index, Ed25519PrivateKey key) {
  public NodeLogs {
    Objects.requireNonNull(replicas, "replicas");
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(key, "key");
  }
}
