package dev.tally.ipld;

import java.util.List;
import java.util.Optional;

/** The codecs Tally supports, by multicodec code. */
public final class Codecs {
  private static final List<Codec> ALL =
      List.of(Raw.CODEC, DagPbCodec.CODEC, DagCbor.CODEC, DagJson.CODEC);

  private Codecs() {}

  public static List<Codec> all() {
    return ALL;
  }

  public static Optional<Codec> byCode(long code) {
    for (Codec c : ALL) {
      if (c.code() == code) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  public static Optional<Codec> byName(String name) {
    for (Codec c : ALL) {
      if (c.name().equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /**
   * @throws CodecException naming the code when Tally has no codec for it
   */
  public static Codec require(long code) {
    return byCode(code)
        .orElseThrow(
            () ->
                new CodecException(
                    "unsupported codec 0x"
                        + Long.toHexString(code)
                        + "; supported: raw, dag-pb, dag-cbor, dag-json"));
  }
}
