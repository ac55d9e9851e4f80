/**
 * Bitswap over the libp2p host: one long-lived outgoing stream per peer, inbound streams decoded
 * with back-pressure, and peer connect/disconnect events for the client and server.
 */
package dev.tally.exchange.network;
