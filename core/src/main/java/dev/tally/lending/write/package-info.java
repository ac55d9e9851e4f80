/**
 * Writing lending records: each record is judged against the state of the local replica exactly as
 * the fold will judge it, and appended to the log only if it would be applied (or is a proposal
 * awaiting consents); otherwise it is refused with the fold's reason.
 */
package dev.tally.lending.write;
