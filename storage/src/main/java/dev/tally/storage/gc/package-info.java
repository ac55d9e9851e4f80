/**
 * Garbage collection of the blockstore: mark from the roots (pins, logs, MFS), sweep the rest,
 * while adds and pins go on; leases protect the blocks of operations in flight.
 */
package dev.tally.storage.gc;
