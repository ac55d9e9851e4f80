/**
 * The libp2p host: the upgrade pipeline (TCP, security, Yamux), per-stream protocol negotiation,
 * the peer store, connection limits and the built-in identify and ping behaviours.
 */
package dev.tally.net.host;
