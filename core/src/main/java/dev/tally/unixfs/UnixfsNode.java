package dev.tally.unixfs;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.CodecException;
import dev.tally.ipld.DagPb;
import dev.tally.ipld.PbLink;
import dev.tally.ipld.PbNode;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.unixfs.pb.UnixfsProto.Data;
import dev.tally.unixfs.pb.UnixfsProto.Data.DataType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** One decoded UnixFS block: a raw leaf, or a dag-pb node with its UnixFS Data. */
final class UnixfsNode {
  private final Cid cid;
  private final byte[] raw; // raw leaf bytes; null for dag-pb nodes
  private final PbNode pb; // null for raw leaves
  private final Data data; // null for raw leaves

  private UnixfsNode(Cid cid, byte[] raw, PbNode pb, Data data) {
    this.cid = cid;
    this.raw = raw;
    this.pb = pb;
    this.data = data;
  }

  static UnixfsNode load(Blockstore store, Cid cid) {
    byte[] bytes =
        cid.multihash().isIdentity()
            ? cid.multihash().digest()
            : store
                .get(cid)
                .orElseThrow(
                    () -> new UnixfsException("block " + cid + " is not in the blockstore"))
                .bytes();
    if (cid.codec() == Multicodec.RAW) {
      return new UnixfsNode(cid, bytes, null, null);
    }
    if (cid.codec() != Multicodec.DAG_PB) {
      throw new UnixfsException(
          cid
              + " is not UnixFS: codec "
              + Multicodec.describe(cid.codec())
              + ", expected dag-pb or raw");
    }
    try {
      PbNode pb = DagPb.decode(bytes);
      byte[] unixfs =
          pb.data().orElseThrow(() -> new UnixfsException(cid + " is dag-pb without UnixFS Data"));
      return new UnixfsNode(cid, null, pb, Data.parseFrom(unixfs));
    } catch (CodecException | InvalidProtocolBufferException e) {
      throw new UnixfsException(cid + " is not a valid UnixFS node: " + e.getMessage(), e);
    }
  }

  Cid cid() {
    return cid;
  }

  boolean isRawLeaf() {
    return raw != null;
  }

  byte[] rawBytes() {
    return raw;
  }

  Data data() {
    return data;
  }

  List<PbLink> links() {
    return pb == null ? List.of() : pb.links();
  }

  EntryType type() {
    if (raw != null) {
      return EntryType.FILE;
    }
    return switch (data.getType()) {
      case Directory, HAMTShard -> EntryType.DIRECTORY;
      case Symlink -> EntryType.SYMLINK;
      case File, Raw -> EntryType.FILE;
      default -> throw new UnixfsException(cid + " has unsupported UnixFS type " + data.getType());
    };
  }

  boolean isHamt() {
    return data != null && data.getType() == DataType.HAMTShard;
  }

  /** File content bytes (symlink: target bytes; directory: 0). */
  long size() {
    if (raw != null) {
      return raw.length;
    }
    return switch (type()) {
      case FILE -> data.hasFilesize() ? data.getFilesize() : declaredSize();
      case SYMLINK -> data.getData().size();
      case DIRECTORY -> 0;
    };
  }

  private long declaredSize() {
    long size = data.getData().size();
    for (long b : data.getBlocksizesList()) {
      size += b;
    }
    return size;
  }

  OptionalInt mode() {
    return data != null && data.hasMode()
        ? OptionalInt.of(data.getMode() & 0xFFF)
        : OptionalInt.empty();
  }

  Optional<Instant> mtime() {
    if (data == null || !data.hasMtime()) {
      return Optional.empty();
    }
    long nanos = data.getMtime().getFractionalNanoseconds() & 0xffffffffL;
    if (nanos > 999_999_999L) {
      throw new UnixfsException(cid + " has an mtime with " + nanos + " nanoseconds");
    }
    return Optional.of(Instant.ofEpochSecond(data.getMtime().getSeconds(), nanos));
  }

  UnixfsEntry entry(String name) {
    return new UnixfsEntry(name, cid, type(), size(), mode(), mtime());
  }
}
