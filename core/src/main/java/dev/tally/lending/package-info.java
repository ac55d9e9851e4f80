/**
 * Lending on the log: money and schedule maths, the record kinds of a lending log, and the fold
 * that turns a verified log into the same loan book on every peer.
 */
package dev.tally.lending;
