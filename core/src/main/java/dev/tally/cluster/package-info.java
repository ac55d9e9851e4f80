/**
 * Pinning across peers: a cluster is a signed log of pin records whose deterministic fold is the
 * pinset; every member allocates each pin by the same rendezvous rule and pins what is its share.
 */
package dev.tally.cluster;
