/**
 * Pins as Kubo defines them (recursive, direct, derived indirect; named) in the repo's H2 database,
 * and the service that adds, removes, lists, updates and verifies them.
 */
package dev.tally.storage.pin;
