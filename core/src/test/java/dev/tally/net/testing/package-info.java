/** Test fixtures for the networking stack: an in-memory Duplex pair and an event-loop runner. */
package dev.tally.net.testing;
