/**
 * The verified log as a plugin sees it: entries, the heads a figure reflects, and subscriptions
 * that deliver entries in causal order from a checkpoint.
 */
package dev.tally.plugin.spi.log;
