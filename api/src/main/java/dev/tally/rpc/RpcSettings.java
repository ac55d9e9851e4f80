package dev.tally.rpc;

import dev.tally.http.HttpLimits;

/**
 * Tunables of the RPC API.
 *
 * @param maxBufferedBody largest body a command reads into memory ({@code block/put}, {@code
 *     dag/put}); beyond it the command fails naming the limit
 * @param uploadHighWater upload bytes queued ahead of the importer before the request is paused
 * @param uploadStallSeconds how long an upload may send nothing before the command gives up
 */
public record RpcSettings(int maxBufferedBody, int uploadHighWater, int uploadStallSeconds) {
  public static RpcSettings defaults() {
    return of(HttpLimits.defaults());
  }

  /** The settings a server with {@code limits} uses. */
  public static RpcSettings of(HttpLimits limits) {
    return new RpcSettings(limits.maxBufferedBody(), limits.uploadReadAhead(), 60);
  }
}
