/**
 * The IPFS Pinning Service API (v1.0.0): per-user pin requests with queued, pinning, pinned and
 * failed statuses, served on the RPC API's port at {@code /pins}, carried out through the cluster
 * when this node is a member and on this node's own pins otherwise (ADR 022).
 */
package dev.tally.pinning;
