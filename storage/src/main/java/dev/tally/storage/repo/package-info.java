/**
 * A Tally repository on disk: its config, its block store and (later) keys, pins and indexes,
 * opened and created as one unit.
 */
package dev.tally.storage.repo;
