/**
 * Bitswap wire messages (1.0.0, 1.1.0, 1.2.0): immutable values, the protobuf codec with its limits
 * and the uvarint framing. Shared by the exchange client and server.
 */
package dev.tally.exchange.message;
