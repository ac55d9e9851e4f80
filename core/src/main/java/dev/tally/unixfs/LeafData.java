package dev.tally.unixfs;

import com.google.protobuf.CodedInputStream;
import dev.tally.unixfs.pb.UnixfsProto.Data;
import dev.tally.unixfs.pb.UnixfsProto.Data.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Where a dag-pb file leaf keeps its data inside the block, found without copying the data: the
 * block must be exactly {@code Data} (field 1, no links) holding a UnixFS {@code File} or {@code
 * Raw} node with no blocksizes and a filesize, if any, equal to its data. Anything else is not
 * answered here ({@link Optional#empty()}): the exporter then decodes the block the ordinary way,
 * which accepts the same blocks and gives the same errors as before, so this parser only has to be
 * at least as strict as that path, never looser.
 */
final class LeafData {
  private static final int DATA_TAG = 0x0a; // PBNode field 1, length-delimited
  private static final int UNIXFS_DATA_TAG = 0x12; // UnixFS Data field 2, length-delimited

  /** The leaf's data: {@code length} bytes at {@code offset} of the block. */
  record Span(int offset, int length) {}

  private LeafData() {}

  static Optional<Span> locate(ByteBuffer block) {
    ByteBuffer b = block.duplicate();
    int start = b.position();
    int n = b.remaining();
    if (n < 2 || b.get(start) != DATA_TAG) {
      return Optional.empty();
    }
    // The PBNode's Data length: a minimal varint (a padded one is left to the ordinary decoder).
    long length = 0;
    int at = 1;
    for (int shift = 0; ; shift += 7) {
      if (at >= n || shift > 28) {
        return Optional.empty();
      }
      int x = b.get(start + at++) & 0xff;
      length |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        if (x == 0 && at > 2) {
          return Optional.empty();
        }
        break;
      }
    }
    if (length != n - at) {
      return Optional.empty();
    }
    ByteBuffer unixfs = b.slice(start + at, (int) length);
    Data data;
    try {
      CodedInputStream in = CodedInputStream.newInstance(unixfs.duplicate());
      in.enableAliasing(true); // the data field stays a view of the block: no copy
      data = Data.parseFrom(in);
    } catch (IOException e) { // InvalidProtocolBufferException: not a UnixFS node
      return Optional.empty();
    }
    DataType type = data.getType();
    int size = data.getData().size();
    if ((type != DataType.File && type != DataType.Raw)
        || data.getBlocksizesCount() != 0
        || (data.hasFilesize() && data.getFilesize() != size)) {
      return Optional.empty();
    }
    // The last Data field wins in protobuf, as in the parse above.
    int offset = -1;
    int found = -1;
    try {
      CodedInputStream scan = CodedInputStream.newInstance(unixfs.duplicate());
      while (!scan.isAtEnd()) {
        int tag = scan.readTag();
        if (tag == UNIXFS_DATA_TAG) {
          int len = scan.readRawVarint32();
          offset = scan.getTotalBytesRead();
          found = len;
          scan.skipRawBytes(len);
        } else if (!scan.skipField(tag)) {
          return Optional.empty();
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    if (size == 0) {
      return Optional.of(new Span(at, 0));
    }
    if (found != size) {
      return Optional.empty();
    }
    return Optional.of(new Span(at + offset, size));
  }
}
