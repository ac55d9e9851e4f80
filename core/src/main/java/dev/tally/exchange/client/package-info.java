/**
 * The Bitswap client: sessions that find peers with want-have, fetch with want-block spread across
 * them, re-ask on DONT_HAVE or deadlines, and verify every block against its CID.
 */
package dev.tally.exchange.client;
