package dev.tally.unixfs;

import com.google.protobuf.ByteString;
import dev.tally.ipld.DagPb;
import dev.tally.ipld.PbLink;
import dev.tally.ipld.PbNode;
import dev.tally.multiformats.Varint;
import dev.tally.unixfs.pb.UnixfsProto.Data;
import dev.tally.unixfs.pb.UnixfsProto.Data.DataType;
import dev.tally.unixfs.pb.UnixfsProto.UnixTime;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Encodes UnixFS nodes as dag-pb blocks with the fields Kubo and ipfs-unixfs write: files carry
 * filesize (and blocksizes when they have children), Data is omitted when empty, mode and mtime
 * only when given.
 */
final class UnixfsNodes {
  /** The multicodec of HAMT hashes (murmur3-x64-64), stored in every shard node. */
  static final long HAMT_HASH_MURMUR3 = 0x22;

  private static final int PB_DATA_TAG = 0x0a;
  private static final int TYPE_FILE = 0x08;
  private static final int DATA_TAG = 0x12;
  private static final int FILESIZE_TAG = 0x18;

  private UnixfsNodes() {}

  /**
   * A file leaf holding {@code chunk}, encoded by hand: this is the hot path, and building it
   * through protobuf and the dag-pb codec would copy every chunk three times instead of once. The
   * bytes equal {@code DagPb.encode} of a node without links whose Data is {@code Type=File,
   * Data=chunk, filesize=len}.
   */
  static byte[] fileLeaf(byte[] chunk) {
    return fileLeaf(Chunk.of(chunk));
  }

  /**
   * A file leaf holding {@code chunk}. When the chunk was read with exactly {@link #leafHead} bytes
   * of room before it and {@link #leafTail} after it (the fixed-size chunker does that for dag-pb
   * leaves), the framing is written around the bytes in place and the chunk's array becomes the
   * block: no copy of the data at all. Otherwise the data is copied once into a new block.
   */
  static byte[] fileLeaf(Chunk chunk) {
    int n = chunk.length();
    int head = leafHead(n);
    int size = head + n + leafTail(n);
    boolean inPlace = n > 0 && chunk.offset() == head && chunk.array().length == size;
    byte[] out = inPlace ? chunk.array() : new byte[size];
    int p = 0;
    out[p++] = PB_DATA_TAG;
    p += Varint.write(unixfsLength(n), out, p);
    out[p++] = TYPE_FILE;
    out[p++] = (byte) DataType.File_VALUE;
    if (n > 0) {
      out[p++] = DATA_TAG;
      p += Varint.write(n, out, p);
      if (!inPlace) {
        System.arraycopy(chunk.array(), chunk.offset(), out, p, n);
      }
      p += n;
    }
    out[p++] = FILESIZE_TAG;
    Varint.write(n, out, p);
    return out;
  }

  /** Bytes a dag-pb file leaf of {@code n} data bytes has before its data. */
  static int leafHead(int n) {
    int u = unixfsLength(n);
    return 1 + Varint.encodedLength(u) + 2 + (n > 0 ? 1 + Varint.encodedLength(n) : 0);
  }

  /** Bytes a dag-pb file leaf of {@code n} data bytes has after its data (the filesize field). */
  static int leafTail(int n) {
    return 1 + Varint.encodedLength(n);
  }

  /** Length of the UnixFS Data message of a file leaf: Type, Data (when not empty), filesize. */
  private static int unixfsLength(int n) {
    return 2 + (n > 0 ? 1 + Varint.encodedLength(n) + n : 0) + 1 + Varint.encodedLength(n);
  }

  /** A single-chunk file that needs a node (not a raw leaf) to carry its metadata. */
  static byte[] fileLeaf(byte[] chunk, Metadata meta) {
    Data.Builder d = Data.newBuilder().setType(DataType.File).setFilesize(chunk.length);
    if (chunk.length > 0) {
      d.setData(ByteString.copyFrom(chunk));
    }
    return encode(List.of(), withMetadata(d, meta));
  }

  /** A file node over {@code children} in order, with their content sizes as blocksizes. */
  static byte[] fileNode(List<DagRef> children, List<PbLink> links, Metadata meta) {
    Data.Builder d = Data.newBuilder().setType(DataType.File);
    long total = 0;
    for (DagRef child : children) {
      d.addBlocksizes(child.contentSize());
      total += child.contentSize();
    }
    d.setFilesize(total);
    return encode(links, withMetadata(d, meta));
  }

  static byte[] directory(List<PbLink> sortedLinks, Metadata meta) {
    return encode(sortedLinks, withMetadata(Data.newBuilder().setType(DataType.Directory), meta));
  }

  static byte[] hamtShard(List<PbLink> sortedLinks, byte[] bitfield, int fanout, Metadata meta) {
    Data.Builder d =
        Data.newBuilder()
            .setType(DataType.HAMTShard)
            .setHashType(HAMT_HASH_MURMUR3)
            .setFanout(fanout);
    if (bitfield.length > 0) {
      d.setData(ByteString.copyFrom(bitfield));
    }
    return encode(sortedLinks, withMetadata(d, meta));
  }

  static byte[] symlink(String target, Metadata meta) {
    Data.Builder d = Data.newBuilder().setType(DataType.Symlink);
    byte[] bytes = target.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0) {
      d.setData(ByteString.copyFrom(bytes));
    }
    return encode(List.of(), withMetadata(d, meta));
  }

  private static Data.Builder withMetadata(Data.Builder d, Metadata meta) {
    meta.mode().ifPresent(m -> d.setMode(m & 0xFFF));
    meta.mtime().ifPresent(t -> d.setMtime(unixTime(t)));
    return d;
  }

  private static UnixTime unixTime(Instant t) {
    UnixTime.Builder u = UnixTime.newBuilder().setSeconds(t.getEpochSecond());
    if (t.getNano() != 0) {
      u.setFractionalNanoseconds(t.getNano());
    }
    return u.build();
  }

  private static byte[] encode(List<PbLink> links, Data.Builder data) {
    return DagPb.encode(PbNode.of(links, Optional.of(data.build().toByteArray())));
  }
}
