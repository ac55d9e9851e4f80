/**
 * The public libp2p host API: byte channels with back-pressure ({@link dev.tally.net.Duplex}),
 * hosts, connections, streams and protocol handlers.
 */
package dev.tally.net;
