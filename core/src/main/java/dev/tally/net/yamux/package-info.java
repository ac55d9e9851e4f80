/**
 * Yamux ({@code /yamux/1.0.0}): many flow-controlled streams over one {@link dev.tally.net.Duplex},
 * with per-stream receive windows auto-tuned from the measured round-trip time, as go-yamux does.
 */
package dev.tally.net.yamux;
