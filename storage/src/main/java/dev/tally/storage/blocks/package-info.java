/**
 * The block store on H2 MVStore: multihash → location index, block bodies under sequential ids,
 * counters committed with the blocks, and a bounded read cache.
 */
package dev.tally.storage.blocks;
