package dev.tally.cluster;

import dev.tally.crypto.PeerId;
import java.util.Optional;

/**
 * A cluster member as {@code tally cluster peers} shows it.
 *
 * @param lastHeartbeat the time in its latest heartbeat (ms since the epoch); empty if none yet
 * @param free the free space it last announced, in bytes
 * @param allocated pins allocated to it now
 * @param auditFailures pins it failed an audit of (since its latest admission)
 * @param struckOut whether those failures reached the cluster's strikes, so it holds nothing
 */
public record Member(
    PeerId peer,
    boolean live,
    Optional<Long> lastHeartbeat,
    long free,
    int allocated,
    int auditFailures,
    boolean struckOut) {}
