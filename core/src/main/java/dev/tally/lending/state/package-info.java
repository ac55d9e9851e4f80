/**
 * The fold: a pure function from verified log entries, in the log's total order, to the lending
 * state (loans with Fineract statuses, schedules with paid and due amounts, lender parts, flagged
 * records), identical on every peer that holds the same heads.
 */
package dev.tally.lending.state;
