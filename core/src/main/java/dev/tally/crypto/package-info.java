/**
 * libp2p identities: Ed25519 keys (Bouncy Castle), the libp2p key protobuf envelopes, signature
 * verification for the other key types peers present, and {@link dev.tally.crypto.PeerId}.
 */
package dev.tally.crypto;
