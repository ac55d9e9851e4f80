/**
 * {@code /tally/dag/1.0.0}: one request names roots, a stop set and limits; the answer streams the
 * DAG as a CAR under the receiver's byte credit, every block checked as it arrives.
 */
package dev.tally.exchange.dag;
