/**
 * The node's services as the HTTP APIs see them: blocks, identity and settings, wired by the
 * daemon. Pins, the exchange and the libp2p host join here as they become available.
 */
package dev.tally.node;
