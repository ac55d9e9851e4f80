/**
 * The Bitswap server (boxo's engine): per-peer ledgers of wants and a fair, bounded task queue that
 * answers with blocks and presences read from the blockstore on worker threads.
 */
package dev.tally.exchange.server;
