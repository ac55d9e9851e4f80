package dev.tally.exchange.dag;

import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Varint;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * Wire pieces of {@code /tally/dag/1.0.0} (see docs/adr for the whole exchange): the receiver opens
 * a stream and sends one request frame, then only credit grants (bare uvarints, bytes); the sender
 * answers one status frame ({@code {ok: true}} or {@code {error: text}}), then a CARv1 (header,
 * then sections), and half-closes the stream when the walk is over. Every frame is
 * uvarint-length-prefixed, as CAR sections are.
 */
public final class DagProtocol {
  public static final String ID = "/tally/dag/1.0.0";

  /**
   * Largest request or status frame: some 14,000 CIDs of 36 bytes, or a message. Part of the
   * protocol, not a config key: both sides must agree on it, as a client with a larger bound would
   * send requests the server cannot read (ADR 038). The configurable {@code Internal.Dag.MaxRoots}
   * and {@code MaxStopCids} bound a request inside it.
   */
  public static final int MAX_CONTROL_FRAME = 512 * 1024;

  private DagProtocol() {}

  static Buffer frame(byte[] body) {
    Buffer b = Buffer.buffer(body.length + Varint.MAX_LENGTH);
    b.appendBytes(Varint.encode(body.length));
    b.appendBytes(body);
    return b;
  }

  static Buffer ok() {
    return frame(DagCbor.encode(IpldMap.builder().put("ok", true).build()));
  }

  static Buffer error(String message) {
    return frame(DagCbor.encode(IpldMap.builder().put("error", message).build()));
  }

  /** The refusal in a status frame, or empty when it says ok. */
  static Optional<String> refusal(byte[] status) {
    IpldMap m;
    try {
      m = DagCbor.decode(status, 2).asMap();
    } catch (RuntimeException e) {
      throw new DagException("malformed DAG status frame: " + e.getMessage(), e);
    }
    Optional<IpldNode> error = m.get("error");
    if (error.isPresent()) {
      return Optional.of(error.get().asString());
    }
    if (m.get("ok").map(IpldNode::asBool).orElse(false)) {
      return Optional.empty();
    }
    throw new DagException("DAG status frame says neither ok nor error");
  }

  static Buffer grant(long bytes) {
    return Buffer.buffer(Varint.encode(bytes));
  }
}
