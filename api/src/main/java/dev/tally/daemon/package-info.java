/**
 * The long-running node: opens the repo, starts Vert.x, the RPC API and the gateway, and stops them
 * in order (servers, then workers, then the repo).
 */
package dev.tally.daemon;
