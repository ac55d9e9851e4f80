package dev.tally.net;

/**
 * Serves inbound streams of one protocol. Called on the stream's connection context once
 * multistream-select agreed on the protocol; the handler owns the stream from then on and must
 * close or reset it.
 */
@FunctionalInterface
public interface ProtocolHandler {
  void handle(Stream stream);
}
