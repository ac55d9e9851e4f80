/**
 * The node's metrics (Micrometer), served in Prometheus' text format at {@code
 * /debug/metrics/prometheus} on the RPC API's port, as Kubo serves its own.
 */
package dev.tally.metrics;
