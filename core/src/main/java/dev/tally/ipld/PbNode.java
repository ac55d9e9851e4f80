package dev.tally.ipld;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A dag-pb node: ordered links and optional opaque data (UnixFS puts its protobuf here). Absent
 * data and empty data are different blocks, so the distinction is kept.
 */
public final class PbNode {
  /** dag-pb orders links by the bytes of their UTF-8 names; a stable sort keeps unnamed order. */
  static final Comparator<PbLink> BY_NAME_BYTES =
      (a, b) ->
          Arrays.compareUnsigned(
              a.sortName().getBytes(StandardCharsets.UTF_8),
              b.sortName().getBytes(StandardCharsets.UTF_8));

  private final List<PbLink> links;
  private final byte[] data; // null when absent; never escapes

  private PbNode(List<PbLink> links, byte[] data) {
    this.links = links;
    this.data = data;
  }

  /** A node with links in the given order (decoders and callers that already sorted). */
  public static PbNode of(List<PbLink> links, Optional<byte[]> data) {
    return new PbNode(List.copyOf(links), data.map(byte[]::clone).orElse(null));
  }

  public static PbNode of(List<PbLink> links, byte[] data) {
    return new PbNode(List.copyOf(links), data.clone());
  }

  /** A node with links stably sorted by name bytes, as the dag-pb spec requires for encoding. */
  public static PbNode sorted(List<PbLink> links, Optional<byte[]> data) {
    List<PbLink> copy = new ArrayList<>(links);
    copy.sort(BY_NAME_BYTES);
    return new PbNode(List.copyOf(copy), data.map(byte[]::clone).orElse(null));
  }

  static PbNode ofOwned(List<PbLink> links, byte[] dataOrNull) {
    return new PbNode(List.copyOf(links), dataOrNull);
  }

  public List<PbLink> links() {
    return links;
  }

  public Optional<byte[]> data() {
    return data == null ? Optional.empty() : Optional.of(data.clone());
  }

  public boolean hasData() {
    return data != null;
  }

  public int dataLength() {
    return data == null ? 0 : data.length;
  }

  byte[] dataOrNull() {
    return data;
  }

  boolean linksSorted() {
    for (int i = 1; i < links.size(); i++) {
      if (BY_NAME_BYTES.compare(links.get(i - 1), links.get(i)) > 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PbNode other
        && links.equals(other.links)
        && Arrays.equals(data, other.data)
        && (data == null) == (other.data == null);
  }

  @Override
  public int hashCode() {
    return 31 * links.hashCode() + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "PbNode[links="
        + links
        + ", data="
        + (data == null ? "absent" : data.length + " bytes")
        + "]";
  }
}
