package dev.tally.car;

import dev.tally.multiformats.Cid;
import java.util.List;

/**
 * The CARv1 header: the roots of the archive. On the wire it is the DAG-CBOR map {@code {roots:
 * [CID...], version: 1}}. The spec asks for at least one root; like js-car and Kubo, Tally reads
 * and writes archives with none, so callers decide whether an empty root list is acceptable.
 *
 * @param roots root CIDs in archive order
 */
public record CarHeader(List<Cid> roots) {

  public CarHeader {
    roots = List.copyOf(roots);
  }

  public static CarHeader of(Cid... roots) {
    return new CarHeader(List.of(roots));
  }

  /** The canonical DAG-CBOR bytes of this header (without the varint length prefix). */
  public byte[] encode() {
    return HeaderCodec.encode(roots);
  }

  /**
   * Decodes a CARv1 header block strictly (canonical DAG-CBOR, exactly the keys roots and version,
   * version 1).
   *
   * @throws CarException if the bytes are not such a header
   */
  public static CarHeader decode(byte[] bytes) {
    HeaderCodec.Decoded d = HeaderCodec.decode(bytes, 0);
    if (d.version() != 1) {
      throw CarException.at(0, "CAR header has version " + d.version() + ", expected 1");
    }
    return new CarHeader(d.roots());
  }
}
