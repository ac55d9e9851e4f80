package dev.tally.storage.pin;

import dev.tally.multiformats.Cid;
import dev.tally.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * An fsynced, append-only record of every pin change, replayed on open. The crash harness saw a
 * killed MVStore reopen with one map (the recursive pins) at an older root while the others were
 * current, so the pin maps alone cannot be trusted to hold what an acknowledged pin wrote; the
 * journal is the durable truth and the maps are its index, as pack records are for blocks.
 *
 * <p>A record is {@code u32 length ‖ u32 crc32c ‖ op ‖ u16 cid length ‖ cid ‖ utf-8 name}; a torn
 * or corrupt tail (a kill mid-append) ends the replay and is cut off.
 */
final class PinJournal implements AutoCloseable {
  enum Op {
    ADD_RECURSIVE('R'),
    ADD_DIRECT('D'),
    REMOVE_RECURSIVE('r'),
    REMOVE_DIRECT('d');

    final byte code;

    Op(char code) {
      this.code = (byte) code;
    }

    static Op of(byte code) {
      for (Op op : values()) {
        if (op.code == code) {
          return op;
        }
      }
      throw new IllegalArgumentException("unknown pin journal op " + code);
    }
  }

  record Change(Op op, Cid cid, String name) {}

  /** The pins the journal says exist: CID → name, recursive and direct. */
  record State(Map<Cid, String> recursive, Map<Cid, String> direct) {}

  private static final int MAX_RECORD = 64 * 1024;

  private final Path file;
  private FileChannel channel;
  private long records;

  private PinJournal(Path file, FileChannel channel, long records) {
    this.file = file;
    this.channel = channel;
    this.records = records;
  }

  /** Opens (creating if absent) the journal, cuts a torn tail and returns it with its state. */
  static Map.Entry<PinJournal, State> open(Path file) {
    try {
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      Map<Cid, String> recursive = new LinkedHashMap<>();
      Map<Cid, String> direct = new LinkedHashMap<>();
      long valid = 0;
      long count = 0;
      ByteBuffer head = ByteBuffer.allocate(8);
      long size = ch.size();
      while (valid + 8 <= size) {
        head.clear();
        ch.read(head, valid);
        int len = head.getInt(0);
        int crc = head.getInt(4);
        if (len < 3 || len > MAX_RECORD || valid + 8 + len > size) {
          break;
        }
        ByteBuffer body = ByteBuffer.allocate(len);
        ch.read(body, valid + 8);
        CRC32C c = new CRC32C();
        c.update(body.array());
        if ((int) c.getValue() != crc) {
          break;
        }
        Change change;
        try {
          change = decode(body.array());
        } catch (RuntimeException e) {
          break;
        }
        apply(change, recursive, direct);
        valid += 8 + len;
        count++;
      }
      if (valid < size) {
        ch.truncate(valid);
        ch.force(true);
      }
      ch.position(valid);
      return Map.entry(new PinJournal(file, ch, count), new State(recursive, direct));
    } catch (IOException e) {
      throw new StorageException("cannot read the pin journal " + file + ": " + e.getMessage(), e);
    }
  }

  private static void apply(Change c, Map<Cid, String> recursive, Map<Cid, String> direct) {
    switch (c.op()) {
      case ADD_RECURSIVE -> {
        direct.remove(c.cid());
        recursive.put(c.cid(), c.name());
      }
      case ADD_DIRECT -> direct.put(c.cid(), c.name());
      case REMOVE_RECURSIVE -> recursive.remove(c.cid());
      case REMOVE_DIRECT -> direct.remove(c.cid());
    }
  }

  private static Change decode(byte[] b) {
    ByteBuffer in = ByteBuffer.wrap(b);
    Op op = Op.of(in.get());
    int cidLen = Short.toUnsignedInt(in.getShort());
    byte[] cid = new byte[cidLen];
    in.get(cid);
    String name = new String(b, in.position(), in.remaining(), StandardCharsets.UTF_8);
    return new Change(op, Cid.decode(cid), name);
  }

  private static byte[] encode(Change c) {
    byte[] cid = c.cid().bytes();
    byte[] name = c.name().getBytes(StandardCharsets.UTF_8);
    int len = 3 + cid.length + name.length;
    if (len > MAX_RECORD) {
      throw new PinException("pin name too long (" + name.length + " bytes)");
    }
    ByteBuffer body = ByteBuffer.allocate(len);
    body.put(c.op().code).putShort((short) cid.length).put(cid).put(name);
    CRC32C crc = new CRC32C();
    crc.update(body.array());
    ByteBuffer rec = ByteBuffer.allocate(8 + len);
    rec.putInt(len).putInt((int) crc.getValue()).put(body.array()).flip();
    return rec.array();
  }

  /** Appends the changes and forces them to disk before returning. */
  synchronized void append(List<Change> changes) {
    if (changes.isEmpty()) {
      return;
    }
    try {
      int total = 0;
      byte[][] encoded = new byte[changes.size()][];
      for (int i = 0; i < encoded.length; i++) {
        encoded[i] = encode(changes.get(i));
        total += encoded[i].length;
      }
      ByteBuffer out = ByteBuffer.allocate(total);
      for (byte[] e : encoded) {
        out.put(e);
      }
      out.flip();
      while (out.hasRemaining()) {
        channel.write(out);
      }
      channel.force(false);
      records += changes.size();
    } catch (IOException e) {
      throw new StorageException("cannot write the pin journal " + file + ": " + e.getMessage(), e);
    }
  }

  /** Records written since the journal was last rewritten. */
  synchronized long records() {
    return records;
  }

  /**
   * Replaces the journal by one record per live pin (a synced temp file renamed over it), so it
   * does not grow with every pin ever made.
   */
  synchronized void rewrite(State live) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      long count = 0;
      for (Map.Entry<Cid, String> e : live.recursive().entrySet()) {
        out.write(ByteBuffer.wrap(encode(new Change(Op.ADD_RECURSIVE, e.getKey(), e.getValue()))));
        count++;
      }
      for (Map.Entry<Cid, String> e : live.direct().entrySet()) {
        out.write(ByteBuffer.wrap(encode(new Change(Op.ADD_DIRECT, e.getKey(), e.getValue()))));
        count++;
      }
      out.force(true);
      channel.close();
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(file.toAbsolutePath().getParent());
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      channel.position(channel.size());
      records = count;
    } catch (IOException e) {
      throw new StorageException(
          "cannot rewrite the pin journal " + file + ": " + e.getMessage(), e);
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some file systems cannot sync a directory; the rename is still atomic there.
    }
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new StorageException("cannot close the pin journal " + file + ": " + e.getMessage(), e);
    }
  }
}
