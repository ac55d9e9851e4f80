/**
 * Identify ({@code /ipfs/id/1.0.0}) and identify push ({@code /ipfs/id/push/1.0.0}): peers tell
 * each other their public key, listen addresses, protocols and the address they observed.
 */
package dev.tally.net.identify;
