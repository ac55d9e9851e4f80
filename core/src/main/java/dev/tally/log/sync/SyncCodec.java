package dev.tally.log.sync;

import dev.tally.ipld.CodecException;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Varint;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of {@link SyncMessage}s: each is a uvarint length then a DAG-CBOR map whose {@code
 * t} names the type: {@code heads {log, heads}}, {@code want {log, have, want, max}}, {@code
 * entries {blocks, remaining}}, {@code done {sent, error}}. Lists of CIDs and of blocks are bounded
 * by the options, so a message's size bounds what decoding it allocates.
 */
public final class SyncCodec {
  private final SyncOptions options;

  public SyncCodec(SyncOptions options) {
    this.options = options;
  }

  /** The message with its length prefix. */
  public Buffer encode(SyncMessage m) {
    IpldMap.Builder b = IpldNode.map();
    if (m instanceof SyncMessage.Heads h) {
      b.put("t", "heads").put("log", IpldNode.of(h.log())).put("heads", links(h.heads()));
    } else if (m instanceof SyncMessage.Want w) {
      b.put("t", "want")
          .put("log", IpldNode.of(w.log()))
          .put("have", links(w.have()))
          .put("want", links(w.want()))
          .put("max", w.max());
    } else if (m instanceof SyncMessage.Entries e) {
      List<IpldNode> blocks = new ArrayList<>(e.blocks().size());
      e.blocks().forEach(x -> blocks.add(IpldNode.of(x)));
      b.put("t", "entries").put("blocks", IpldNode.list(blocks)).put("remaining", e.remaining());
    } else if (m instanceof SyncMessage.Done d) {
      b.put("t", "done").put("sent", d.sent()).put("error", d.error());
    }
    byte[] body = DagCbor.encode(b.build());
    if (body.length > options.maxMessageBytes()) {
      throw new SyncException(
          "a "
              + body.length
              + "-byte message exceeds the "
              + options.maxMessageBytes()
              + "-byte limit");
    }
    return Buffer.buffer(Varint.encode(body.length)).appendBytes(body);
  }

  /**
   * Decodes one message body (without its length prefix).
   *
   * @throws SyncException when it is not a well-formed message within the limits
   */
  public SyncMessage decode(byte[] body) {
    if (body.length > options.maxMessageBytes()) {
      throw new SyncException("message of " + body.length + " bytes exceeds the limit");
    }
    try {
      IpldMap m = DagCbor.decode(body, 8).asMap();
      String t =
          m.get("t").orElseThrow(() -> new SyncException("message lacks its type t")).asString();
      return switch (t) {
        case "heads" -> new SyncMessage.Heads(link(m, "log"), cids(m, "heads"));
        case "want" ->
            new SyncMessage.Want(
                link(m, "log"), cids(m, "have"), cids(m, "want"), nonNegative(m, "max"));
        case "entries" -> {
          List<IpldNode> items = field(m, "blocks").asList();
          if (items.size() > options.maxBatchEntries()) {
            throw new SyncException(
                "a batch of "
                    + items.size()
                    + " entries exceeds the "
                    + options.maxBatchEntries()
                    + " limit");
          }
          List<byte[]> blocks = new ArrayList<>(items.size());
          for (IpldNode i : items) {
            blocks.add(i.asBytes());
          }
          yield new SyncMessage.Entries(blocks, nonNegative(m, "remaining"));
        }
        case "done" -> new SyncMessage.Done(nonNegative(m, "sent"), field(m, "error").asString());
        default -> throw new SyncException("unknown message type \"" + t + "\"");
      };
    } catch (CodecException | IllegalStateException | ArithmeticException e) {
      throw new SyncException("malformed /tally/log message: " + e.getMessage(), e);
    }
  }

  private static IpldNode links(List<Cid> cids) {
    return IpldNode.list(cids.stream().map(c -> (IpldNode) IpldNode.of(c)).toList());
  }

  private static IpldNode field(IpldMap m, String name) {
    return m.get(name).orElseThrow(() -> new SyncException("message lacks the field " + name));
  }

  private static Cid link(IpldMap m, String name) {
    return field(m, name).asLink();
  }

  private static long nonNegative(IpldMap m, String name) {
    long v = field(m, name).asLong();
    if (v < 0) {
      throw new SyncException(name + " is negative");
    }
    return v;
  }

  private List<Cid> cids(IpldMap m, String name) {
    List<IpldNode> items = field(m, name).asList();
    if (items.size() > options.maxCids()) {
      throw new SyncException(
          name + " lists " + items.size() + " CIDs, more than the " + options.maxCids() + " limit");
    }
    List<Cid> out = new ArrayList<>(items.size());
    for (IpldNode i : items) {
      out.add(i.asLink());
    }
    return out;
  }
}
