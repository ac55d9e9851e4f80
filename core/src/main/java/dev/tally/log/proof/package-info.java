/**
 * Inclusion proofs: the shortest chain of signed entries from a head to one entry, written as a CAR
 * and checkable offline against the log's manifest.
 */
package dev.tally.log.proof;
