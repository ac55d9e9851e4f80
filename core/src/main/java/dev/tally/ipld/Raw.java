package dev.tally.ipld;

import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import java.util.List;

/** The raw codec (0x55): a block is one bytes value and links to nothing. */
public final class Raw {
  public static final long CODE = Multicodec.RAW;

  public static final Codec CODEC =
      new Codec() {
        @Override
        public long code() {
          return CODE;
        }

        @Override
        public String name() {
          return "raw";
        }

        @Override
        public byte[] encode(IpldNode node) {
          if (node.kind() != IpldNode.Kind.BYTES) {
            throw new CodecException(
                "raw: only bytes can be encoded, got a " + node.kind().label());
          }
          return node.asBytes();
        }

        @Override
        public IpldNode decode(byte[] data) {
          return IpldBytes.of(data);
        }

        @Override
        public List<Cid> links(byte[] data) {
          return List.of();
        }

        @Override
        public String toString() {
          return name();
        }
      };

  private Raw() {}
}
