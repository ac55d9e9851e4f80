/**
 * Replication of logs between peers over {@code /tally/log/1.0.0}: head announcements, and deltas
 * of entries fetched in one request per peer and verified before they are stored.
 */
package dev.tally.log.sync;
