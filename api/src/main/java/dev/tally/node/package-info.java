/**
 * The node's services as the HTTP APIs see them: blocks, pins, identity and settings, wired by the
 * daemon. The exchange and the libp2p host join here as they become available.
 */
package dev.tally.node;
