package dev.tally.ipld;

import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * dag-pb (0x70) as a data-model codec: the wire format is {@link DagPb}; this class maps {@link
 * PbNode} to and from the data-model shape the dag-pb spec defines, {@code {Data: bytes?, Links:
 * [{Hash: link, Name: string?, Tsize: int?}]}}, and refuses any other shape.
 */
public final class DagPbCodec {
  public static final long CODE = Multicodec.DAG_PB;

  public static final Codec CODEC =
      new Codec() {
        @Override
        public long code() {
          return CODE;
        }

        @Override
        public String name() {
          return "dag-pb";
        }

        @Override
        public byte[] encode(IpldNode node) {
          return DagPb.encode(fromNode(node));
        }

        @Override
        public IpldNode decode(byte[] data) {
          return toNode(DagPb.decode(data));
        }

        @Override
        public List<Cid> links(byte[] data) {
          List<PbLink> links = DagPb.decode(data).links();
          List<Cid> out = new ArrayList<>(links.size());
          for (PbLink l : links) {
            out.add(l.hash());
          }
          return out;
        }

        @Override
        public String toString() {
          return name();
        }
      };

  private DagPbCodec() {}

  /** The data-model view of a dag-pb node. */
  public static IpldMap toNode(PbNode node) {
    List<PbLink> links = node.links();
    IpldNode[] linkNodes = new IpldNode[links.size()];
    for (int i = 0; i < linkNodes.length; i++) {
      PbLink l = links.get(i);
      int n = 1 + (l.name().isPresent() ? 1 : 0) + (l.tsize().isPresent() ? 1 : 0);
      String[] keys = new String[n];
      IpldNode[] values = new IpldNode[n];
      int k = 0;
      keys[k] = "Hash";
      values[k++] = new IpldLink(l.hash());
      if (l.name().isPresent()) {
        keys[k] = "Name";
        values[k++] = IpldString.trusted(l.name().get());
      }
      if (l.tsize().isPresent()) {
        keys[k] = "Tsize";
        values[k] = IpldInt.of(l.tsize().getAsLong());
      }
      linkNodes[i] = IpldMap.wrap(keys, values);
    }
    IpldList linkList = IpldList.wrap(linkNodes);
    if (node.hasData()) {
      return IpldMap.wrap(
          new String[] {"Data", "Links"},
          new IpldNode[] {IpldBytes.wrap(node.dataOrNull()), linkList});
    }
    return IpldMap.wrap(new String[] {"Links"}, new IpldNode[] {linkList});
  }

  /**
   * The dag-pb node a data-model value describes.
   *
   * @throws CodecException naming what is wrong when the value is not of the dag-pb form
   */
  public static PbNode fromNode(IpldNode node) {
    if (node.kind() != IpldNode.Kind.MAP) {
      throw invalid("a map with Links and optional Data, not a " + node.kind().label());
    }
    IpldMap map = node.asMap();
    for (String key : map.keyArray()) {
      if (!key.equals("Data") && !key.equals("Links")) {
        throw invalid("extraneous properties: \"" + key + "\"");
      }
    }
    Optional<IpldNode> data = map.get("Data");
    if (data.isPresent() && data.get().kind() != IpldNode.Kind.BYTES) {
      throw invalid("Data must be bytes");
    }
    Optional<IpldNode> links = map.get("Links");
    if (links.isEmpty() || links.get().kind() != IpldNode.Kind.LIST) {
      throw invalid("Links must be a list");
    }
    IpldNode[] linkNodes = ((IpldList) links.get()).array();
    List<PbLink> pbLinks = new ArrayList<>(linkNodes.length);
    String previousName = null;
    for (int i = 0; i < linkNodes.length; i++) {
      PbLink link = link(linkNodes[i], i);
      String name = link.name().orElse("");
      if (previousName != null && Utf8.compareBytes(previousName, name) > 0) {
        throw invalid("links must be sorted by Name bytes; link " + i + " is out of order");
      }
      previousName = name;
      pbLinks.add(link);
    }
    return PbNode.ofOwned(
        pbLinks, data.isPresent() ? ((IpldBytes) data.get()).array().clone() : null);
  }

  private static PbLink link(IpldNode node, int index) {
    if (node.kind() != IpldNode.Kind.MAP) {
      throw invalid("bad link " + index + ": a " + node.kind().label() + ", expected a map");
    }
    IpldMap map = node.asMap();
    for (String key : map.keyArray()) {
      if (!key.equals("Hash") && !key.equals("Name") && !key.equals("Tsize")) {
        throw invalid("extraneous properties on link " + index + ": \"" + key + "\"");
      }
    }
    IpldNode hash =
        map.get("Hash").orElseThrow(() -> invalid("link " + index + " must have a Hash"));
    if (hash.kind() != IpldNode.Kind.LINK) {
      throw invalid("link " + index + " Hash must be a CID");
    }
    Optional<String> name = Optional.empty();
    Optional<IpldNode> nameNode = map.get("Name");
    if (nameNode.isPresent()) {
      if (nameNode.get().kind() != IpldNode.Kind.STRING) {
        throw invalid("link " + index + " Name must be a string");
      }
      name = Optional.of(nameNode.get().asString());
    }
    OptionalLong tsize = OptionalLong.empty();
    Optional<IpldNode> tsizeNode = map.get("Tsize");
    if (tsizeNode.isPresent()) {
      if (tsizeNode.get().kind() != IpldNode.Kind.INT) {
        throw invalid("link " + index + " Tsize must be an integer");
      }
      IpldInt t = (IpldInt) tsizeNode.get();
      if (t.isNegative()) {
        throw invalid("link " + index + " Tsize cannot be negative");
      }
      if (!t.fitsLong()) {
        throw invalid("link " + index + " Tsize " + t + " exceeds 2^63-1");
      }
      tsize = OptionalLong.of(t.asLong());
    }
    return new PbLink(hash.asLink(), name, tsize);
  }

  private static CodecException invalid(String problem) {
    return new CodecException("dag-pb: Invalid DAG-PB form (" + problem + ")");
  }
}
