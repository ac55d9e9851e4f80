/**
 * Block exchange: fetches blocks and whole DAGs from peers over Bitswap and serves the blocks we
 * hold. {@link dev.tally.exchange.Bitswap} wires the client, server and network packages.
 */
package dev.tally.exchange;
