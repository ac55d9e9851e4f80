/**
 * Ping ({@code /ipfs/ping/1.0.0}): 32 random bytes echoed back, for liveness and round-trip time.
 */
package dev.tally.net.ping;
