/**
 * The Kubo-compatible HTTP RPC API ({@code /api/v0}): POST-only commands with {@code arg} query
 * parameters, streamed multipart uploads, ndjson output and Kubo's error bodies and status codes.
 */
package dev.tally.rpc;
