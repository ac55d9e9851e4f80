package dev.tally.rpc;

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
    return new RpcSettings(4 << 20, 4 << 20, 60);
  }
}
