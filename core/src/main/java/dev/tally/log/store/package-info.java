/**
 * Repo-local state of the logs a node holds: which logs it knows and their heads, each log's heads
 * in one small file replaced atomically.
 */
package dev.tally.log.store;
