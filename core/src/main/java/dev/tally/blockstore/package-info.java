/**
 * The contract for storing content-addressed blocks, keyed by multihash, and an in-memory
 * implementation. Durable implementations live in the storage module.
 */
package dev.tally.blockstore;
