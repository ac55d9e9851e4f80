/**
 * The IPFS Pinning Service API (v1.0.0): per-user pin requests with queued, pinning, pinned and
 * failed statuses, served on the RPC API's port at {@code /pins}, backed by this node's pins.
 */
package dev.tally.pinning;
