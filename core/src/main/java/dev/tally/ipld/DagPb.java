package dev.tally.ipld;

import dev.tally.multiformats.Cid;
import dev.tally.multiformats.MultiformatException;
import dev.tally.multiformats.Varint;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The dag-pb codec (multicodec 0x70), strict as the IPLD dag-pb spec asks: on the wire every link
 * (field 2) precedes the data (field 1), link fields appear in the order Hash, Name, Tsize, at most
 * once each; no other fields or wire types are accepted; every link has a valid CID; varints are
 * minimal. Encoding refuses links not sorted by name bytes, so every encoded node is canonical.
 */
public final class DagPb {
  private static final int LINKS_TAG = 0x12; // field 2, wire type 2
  private static final int DATA_TAG = 0x0a; // field 1, wire type 2
  private static final int HASH_TAG = 0x0a; // link field 1, wire type 2
  private static final int NAME_TAG = 0x12; // link field 2, wire type 2
  private static final int TSIZE_TAG = 0x18; // link field 3, wire type 0

  private DagPb() {}

  public static byte[] encode(PbNode node) {
    if (!node.linksSorted()) {
      throw new CodecException("dag-pb links must be sorted by Name bytes");
    }
    List<PbLink> links = node.links();
    int[] linkSizes = new int[links.size()];
    byte[][] names = new byte[links.size()][];
    int total = 0;
    for (int i = 0; i < links.size(); i++) {
      PbLink link = links.get(i);
      int cidLength = link.hash().encodedLength();
      int size = 1 + Varint.encodedLength(cidLength) + cidLength;
      if (link.name().isPresent()) {
        names[i] = link.name().get().getBytes(StandardCharsets.UTF_8);
        size += 1 + Varint.encodedLength(names[i].length) + names[i].length;
      }
      if (link.tsize().isPresent()) {
        size += 1 + Varint.encodedLength(link.tsize().getAsLong());
      }
      linkSizes[i] = size;
      total += 1 + Varint.encodedLength(size) + size;
    }
    byte[] data = node.dataOrNull();
    if (data != null) {
      total += 1 + Varint.encodedLength(data.length) + data.length;
    }
    ByteBuffer out = ByteBuffer.allocate(total);
    for (int i = 0; i < links.size(); i++) {
      PbLink link = links.get(i);
      out.put((byte) LINKS_TAG);
      putVarint(out, linkSizes[i]);
      out.put((byte) HASH_TAG);
      putVarint(out, link.hash().encodedLength());
      link.hash().writeTo(out);
      if (names[i] != null) {
        out.put((byte) NAME_TAG);
        putVarint(out, names[i].length);
        out.put(names[i]);
      }
      if (link.tsize().isPresent()) {
        out.put((byte) TSIZE_TAG);
        putVarint(out, link.tsize().getAsLong());
      }
    }
    if (data != null) {
      out.put((byte) DATA_TAG);
      putVarint(out, data.length);
      out.put(data);
    }
    return out.array();
  }

  public static PbNode decode(byte[] bytes) {
    Reader in = new Reader(bytes, 0, bytes.length);
    List<PbLink> links = new ArrayList<>();
    byte[] data = null;
    while (in.hasMore()) {
      int at = in.pos;
      long key = in.varint("field key");
      if (key == LINKS_TAG) {
        if (data != null) {
          throw new CodecException("dag-pb: Links found after Data at byte " + at);
        }
        int length = in.length("link");
        links.add(decodeLink(bytes, in.pos, length));
        in.pos += length;
      } else if (key == DATA_TAG) {
        if (data != null) {
          throw new CodecException("dag-pb: duplicate Data section at byte " + at);
        }
        int length = in.length("Data");
        data = new byte[length];
        System.arraycopy(bytes, in.pos, data, 0, length);
        in.pos += length;
      } else {
        throw unexpected("node", key, at);
      }
    }
    return PbNode.ofOwned(links, data);
  }

  private static PbLink decodeLink(byte[] bytes, int start, int length) {
    Reader in = new Reader(bytes, start, start + length);
    Cid hash = null;
    Optional<String> name = Optional.empty();
    OptionalLong tsize = OptionalLong.empty();
    int lastField = 0;
    while (in.hasMore()) {
      int at = in.pos;
      long key = in.varint("link field key");
      int field = (int) (key >>> 3);
      if (key != HASH_TAG && key != NAME_TAG && key != TSIZE_TAG) {
        throw unexpected("link", key, at);
      }
      if (field <= lastField) {
        throw new CodecException(
            "dag-pb: link field " + field + " out of order or repeated at byte " + at);
      }
      lastField = field;
      if (key == HASH_TAG) {
        int len = in.length("link Hash");
        try {
          hash = Cid.decode(Arrays.copyOfRange(bytes, in.pos, in.pos + len));
        } catch (MultiformatException e) {
          throw new CodecException(
              "dag-pb: invalid Hash field in link at byte "
                  + at
                  + ", expected a CID: "
                  + e.getMessage(),
              e);
        }
        in.pos += len;
      } else if (key == NAME_TAG) {
        int len = in.length("link Name");
        name = Optional.of(utf8(bytes, in.pos, len, at));
        in.pos += len;
      } else {
        long value = in.varint("link Tsize");
        tsize = OptionalLong.of(value);
      }
    }
    if (hash == null) {
      throw new CodecException("dag-pb: link at byte " + start + " has no Hash, expected a CID");
    }
    return new PbLink(hash, name, tsize);
  }

  private static String utf8(byte[] bytes, int off, int len, int at) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, off, len));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new CodecException("dag-pb: link Name at byte " + at + " is not valid UTF-8");
    }
  }

  private static CodecException unexpected(String where, long key, int at) {
    return new CodecException(
        "dag-pb: unexpected field "
            + (key >>> 3)
            + " with wire type "
            + (key & 7)
            + " in "
            + where
            + " at byte "
            + at);
  }

  private static void putVarint(ByteBuffer out, long value) {
    while ((value & ~0x7fL) != 0) {
      out.put((byte) ((value & 0x7f) | 0x80));
      value >>>= 7;
    }
    out.put((byte) value);
  }

  /** A bounded cursor over a slice; every length is checked against what remains. */
  private static final class Reader {
    private final byte[] bytes;
    private final int end;
    private int pos;

    Reader(byte[] bytes, int pos, int end) {
      this.bytes = bytes;
      this.pos = pos;
      this.end = end;
    }

    boolean hasMore() {
      return pos < end;
    }

    long varint(String what) {
      try {
        long value = Varint.decode(bytes, pos, end);
        pos += Varint.decodedLength(bytes, pos, end);
        return value;
      } catch (MultiformatException e) {
        throw new CodecException(
            "dag-pb: bad varint for " + what + " at byte " + pos + ": " + e.getMessage(), e);
      }
    }

    int length(String what) {
      int at = pos;
      long length = varint(what + " length");
      if (length > end - pos) {
        throw new CodecException(
            "dag-pb: "
                + what
                + " at byte "
                + at
                + " claims "
                + length
                + " bytes but only "
                + (end - pos)
                + " remain");
      }
      return (int) length;
    }
  }
}
