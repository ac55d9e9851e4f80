package dev.tally.rpc;

/** One {@code /api/v0} command. Runs on the event loop; blocking work goes through the call. */
@FunctionalInterface
interface RpcCommand {
  void handle(RpcCall call);
}
