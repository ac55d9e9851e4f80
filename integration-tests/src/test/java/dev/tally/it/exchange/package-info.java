/** Bitswap interop tests of Tally's exchange against a real Helia 7 node started from npm. */
package dev.tally.it.exchange;
