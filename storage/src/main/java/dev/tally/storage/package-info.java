/**
 * Durable storage of a Tally node on embedded H2: blocks now; pins, garbage collection and the repo
 * next. Subpackages hold one concern each; this package holds what they share.
 */
package dev.tally.storage;
