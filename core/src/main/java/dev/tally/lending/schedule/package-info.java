/**
 * Repayment schedules as Fineract computes them: equal installments or equal principal, declining
 * balance or flat interest, per-period or daily interest with the usual day counts, grace periods
 * and reschedules, all in exact decimal maths rounded HALF_EVEN to the currency's minor unit.
 */
package dev.tally.lending.schedule;
