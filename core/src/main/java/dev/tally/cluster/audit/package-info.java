/**
 * Storage audits between cluster members: the {@code /tally/cluster/audit/2.0.0} wire codec, the
 * prover's per-stream responder, the challenger's random walk, and the behaviour that serves one
 * and runs the other over the libp2p host (ADR 021).
 */
package dev.tally.cluster.audit;
