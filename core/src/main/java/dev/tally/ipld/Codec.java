package dev.tally.ipld;

import dev.tally.multiformats.Cid;
import java.util.List;
import java.util.function.Function;

/**
 * A block codec between bytes and the IPLD data model, identified by its multicodec code. Encoding
 * produces the codec's canonical bytes; decoding refuses anything else with a {@link
 * CodecException}.
 */
public interface Codec {
  /** The multicodec code, e.g. 0x71 for dag-cbor. */
  long code();

  /** The multicodec name, e.g. {@code dag-cbor}. */
  String name();

  byte[] encode(IpldNode node);

  IpldNode decode(byte[] data);

  /** Every CID the encoded block links to, in document order (duplicates kept). */
  default List<Cid> links(byte[] data) {
    return Links.collect(decode(data));
  }

  /**
   * A codec from its two functions, for codecs whose links are found by walking the decoded node.
   */
  static Codec of(
      long code,
      String name,
      Function<IpldNode, byte[]> encoder,
      Function<byte[], IpldNode> decoder) {
    return new Codec() {
      @Override
      public long code() {
        return code;
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public byte[] encode(IpldNode node) {
        return encoder.apply(node);
      }

      @Override
      public IpldNode decode(byte[] data) {
        return decoder.apply(data);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }
}
