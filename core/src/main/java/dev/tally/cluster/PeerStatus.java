package dev.tally.cluster;

import dev.tally.crypto.PeerId;

/**
 * A pin's status on one allocated peer, as {@code tally cluster status} prints it.
 *
 * @param error why the last attempt failed; empty otherwise
 */
public record PeerStatus(PeerId peer, PinState state, String error) {}
