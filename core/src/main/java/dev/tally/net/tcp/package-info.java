/**
 * The TCP transport: listening on and dialling {@code /ip4|ip6/…/tcp/…} multiaddrs with Vert.x,
 * each connection exposed as a back-pressured {@link dev.tally.net.Duplex}.
 */
package dev.tally.net.tcp;
