/**
 * The SQL index of verified log entries (H2): rows by loan, kind, author and total order, kept in
 * step with each log and rebuilt from the DAG on demand.
 */
package dev.tally.storage.logindex;
