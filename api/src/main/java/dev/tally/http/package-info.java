/**
 * HTTP plumbing the RPC API and the gateway share: limits, bridging worker-thread streams to Vert.x
 * requests and responses with back-pressure, and multipart uploads read on a worker thread.
 */
package dev.tally.http;
