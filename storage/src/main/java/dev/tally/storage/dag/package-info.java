/**
 * Walking DAGs over the local blockstore (pins, garbage collection, verification), with a hook to
 * fetch blocks that are missing locally.
 */
package dev.tally.storage.dag;
