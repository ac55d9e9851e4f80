/**
 * Exact money: ISO 4217 currencies from a shipped table, int64 minor units, annual rates in
 * millionths, HALF_EVEN rounding, and the largest-remainder split of an amount over shares.
 */
package dev.tally.lending.money;
