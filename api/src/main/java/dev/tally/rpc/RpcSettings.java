package dev.tally.rpc;

import dev.tally.http.HttpLimits;
import dev.tally.http.UploadBudget;

/**
 * Tunables of the RPC API.
 *
 * @param maxBufferedBody largest body a command reads into memory ({@code block/put}, {@code
 *     dag/put}); beyond it the command fails naming the limit
 * @param uploadHighWater upload bytes one upload may queue ahead of the importer before the request
 *     is paused
 * @param uploadStallSeconds how long an upload may send nothing before the command gives up
 * @param uploadBudget what all uploads of the API may queue together (one per server)
 */
public record RpcSettings(
    int maxBufferedBody, int uploadHighWater, int uploadStallSeconds, UploadBudget uploadBudget) {
  public static RpcSettings defaults() {
    return of(HttpLimits.defaults());
  }

  /** The settings a server with {@code limits} uses, with a budget of its own. */
  public static RpcSettings of(HttpLimits limits) {
    return new RpcSettings(
        limits.maxBufferedBody(),
        limits.uploadReadAhead(),
        60,
        new UploadBudget(
            limits.uploadBudget(), limits.uploadReadAhead(), limits.maxConcurrentRequests()));
  }
}
