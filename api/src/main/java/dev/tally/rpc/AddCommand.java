package dev.tally.rpc;

import dev.tally.http.MultipartReader;
import dev.tally.http.ResponseSink;
import dev.tally.http.UploadPart;
import dev.tally.multiformats.Multicodec;
import dev.tally.storage.gc.BlockLeases;
import dev.tally.unixfs.ImportOptions;
import dev.tally.unixfs.ImportedEntry;
import dev.tally.unixfs.Metadata;
import dev.tally.unixfs.Profile;
import dev.tally.unixfs.UnixfsImporter;
import io.vertx.core.json.JsonObject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code add}: imports the multipart body (files, and directories in Kubo's encoding: {@code
 * application/x-directory} parts and '/'-separated filenames) as it streams in, and answers with
 * Kubo's ndjson events: {@code {"Name","Hash","Size"}} per file and directory, and {@code
 * {"Name","Bytes"}} progress events when asked.
 */
final class AddCommand {
  /** Bytes between two progress events of one file. */
  private static final long PROGRESS_STEP = 256 * 1024;

  /** Longest symlink target accepted (Linux's PATH_MAX). */
  private static final int MAX_LINK_TARGET = 4096;

  private AddCommand() {}

  static void register(Map<String, RpcCommand> commands) {
    commands.put("add", AddCommand::add);
  }

  private record Settings(
      ImportOptions options,
      boolean progress,
      boolean quieter,
      boolean pin,
      String pinName,
      MetadataRule meta) {}

  /**
   * Which POSIX metadata each entry stores, as Kubo decides it: with {@code preserve-mode} / {@code
   * preserve-mtime} the entry's own (sent by the client in the part's field name, absent for
   * directories only implied by paths), otherwise the {@code mode} / {@code mtime} options.
   */
  private record MetadataRule(
      boolean preserveMode, boolean preserveMtime, OptionalInt mode, Optional<Instant> mtime) {
    boolean any() {
      return preserveMode || preserveMtime || mode.isPresent() || mtime.isPresent();
    }

    Metadata of(OptionalInt ownMode, Optional<Instant> ownMtime) {
      return new Metadata(preserveMode ? ownMode : mode, preserveMtime ? ownMtime : mtime);
    }

    Metadata of(UploadPart part) {
      try {
        return of(part.mode(), part.mtime());
      } catch (IllegalArgumentException e) {
        throw RpcException.badRequest(e.getMessage());
      }
    }

    /** Kubo stores only a modification time on symlinks. */
    Metadata ofSymlink(UploadPart part) {
      return new Metadata(OptionalInt.empty(), of(part).mtime());
    }
  }

  private static void add(RpcCall call) {
    Settings settings = settings(call);
    MultipartReader upload = call.multipart("path");
    call.response()
        .setChunked(true)
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Chunked-Output", "1");
    ResponseSink sink = call.sink();
    call.blocking(() -> run(upload, sink, settings, call))
        .onSuccess(v -> call.response().end())
        .onFailure(call::fail);
  }

  private static Settings settings(RpcCall call) {
    // "profile" is Tally's: the CID profile to start from instead of the repo's import.profile.
    Profile base =
        call.option("profile")
            .map(
                name ->
                    Profile.byName(name)
                        .orElseThrow(
                            () ->
                                RpcException.badRequest(
                                    "unknown profile \""
                                        + name
                                        + "\" (known: unixfs-v0-2015, unixfs-v1-2025)")))
            .orElse(call.node().importProfile());
    ImportOptions.Builder b = ImportOptions.builder(base);
    call.option("cid-version").ifPresent(v -> b.cidVersion(call.intOption("cid-version", 0)));
    call.option("raw-leaves").ifPresent(v -> b.rawLeaves(call.flag("raw-leaves", false)));
    call.option("chunker").ifPresent(b::chunker);
    b.trickle(call.flag("trickle", false));
    call.option("hash")
        .ifPresent(
            name ->
                b.hashFunction(
                    Multicodec.byName(name)
                        .orElseThrow(
                            () ->
                                RpcException.failed("unrecognized hash function: \"" + name + "\""))
                        .code()));
    if (call.flag("inline", false)) {
      b.inline(call.intOption("inline-limit", ImportOptions.DEFAULT_INLINE_LIMIT));
    }
    b.wrapWithDirectory(call.flag("wrap-with-directory", false));
    b.onlyHash(call.flag("only-hash", false));
    MetadataRule meta = metadataRule(call);
    if (meta.any()) {
      // UnixFS 1.5 metadata lives in dag-pb nodes: Kubo turns raw leaves off, and refuses them
      // when asked for explicitly.
      if (call.option("raw-leaves").isPresent() && call.flag("raw-leaves", false)) {
        throw RpcException.failed(
            "raw-leaves can't be used with UnixFS metadata like mode or modification time");
      }
      b.rawLeaves(false);
    }
    return new Settings(
        b.build(),
        call.flag("progress", false),
        call.flag("quieter", false) || call.flag("silent", false),
        call.flag("pin", true),
        call.option("pin-name", ""),
        meta);
  }

  private static MetadataRule metadataRule(RpcCall call) {
    long mode = goInteger(call, "mode", 0, 0xFFFFFFFFL);
    long mtime = goInteger(call, "mtime", Long.MIN_VALUE, Long.MAX_VALUE);
    long nanos = goInteger(call, "mtime-nsecs", 0, 999_999_999);
    if (mtime == 0 && nanos != 0) {
      throw RpcException.failed("option \"mtime-nsecs\" requires \"mtime\" to be provided as well");
    }
    if (mode > 07777) {
      throw RpcException.badRequest(
          "option \"mode\": " + Long.toOctalString(mode) + " is over 07777");
    }
    // As Kubo, 0 means "not set" for both.
    return new MetadataRule(
        call.flag("preserve-mode", false),
        call.flag("preserve-mtime", false),
        mode == 0 ? OptionalInt.empty() : OptionalInt.of((int) mode),
        mtime == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(mtime, nanos)));
  }

  /**
   * An integer option parsed as Kubo's command library does (Go's base prefixes: {@code 0644} is
   * octal, {@code 0x1ed} hex, otherwise decimal); absent is 0.
   */
  private static long goInteger(RpcCall call, String name, long min, long max) {
    Optional<String> raw = call.option(name);
    if (raw.isEmpty() || raw.get().isEmpty()) {
      return 0;
    }
    String v = raw.get();
    boolean negative = v.startsWith("-");
    String digits = negative || v.startsWith("+") ? v.substring(1) : v;
    int radix = 10;
    if (digits.startsWith("0x") || digits.startsWith("0X")) {
      radix = 16;
      digits = digits.substring(2);
    } else if (digits.startsWith("0o") || digits.startsWith("0O")) {
      radix = 8;
      digits = digits.substring(2);
    } else if (digits.length() > 1 && digits.startsWith("0")) {
      radix = 8;
      digits = digits.substring(1);
    }
    try {
      long value = Long.parseLong(digits, radix);
      value = negative ? -value : value;
      if (value < min || value > max) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw RpcException.badRequest(
          "option \""
              + name
              + "\": expected an integer in "
              + min
              + ".."
              + max
              + ", got \""
              + v
              + "\"");
    }
  }

  /** A directory named by its upload path, with its children in upload order. */
  private static final class Dir {
    final String path;
    final Map<String, Object> children = new LinkedHashMap<>(); // ImportedEntry or Dir
    Metadata meta;
    Optional<UploadPart> part = Optional.empty(); // the part that declared it, if any

    Dir(String path, Metadata meta) {
      this.path = path;
      this.meta = meta;
    }
  }

  private static Void run(MultipartReader upload, ResponseSink out, Settings s, RpcCall call)
      throws IOException {
    if (s.options().onlyHash()) {
      run(upload, out, s, UnixfsImporter.onlyHash(s.options()));
      out.close();
      return null;
    }
    // The lease keeps every block of this add from a concurrent GC until its pin is written; an
    // add that fails leaves unpinned blocks for the next GC.
    try (BlockLeases.Lease lease = call.node().leases().open()) {
      List<ImportedEntry> roots =
          run(upload, out, s, new UnixfsImporter(lease.guard(call.node().blocks()), s.options()));
      if (s.pin()) {
        for (ImportedEntry root : roots) {
          call.node().pins().pinImported(root.cid(), s.pinName());
        }
      }
    }
    out.close();
    return null;
  }

  /** Imports the upload; returns the roots (the wrapping directory, or each top-level entry). */
  private static List<ImportedEntry> run(
      MultipartReader upload, ResponseSink out, Settings s, UnixfsImporter importer)
      throws IOException {
    Dir top = new Dir("", Metadata.NONE);
    int parts = 0;
    Optional<UploadPart> next;
    while ((next = upload.next()).isPresent()) {
      UploadPart part = next.get();
      parts++;
      String path = normalise(part.filename());
      if (part.isDirectory()) {
        Dir d = directory(top, path, true, s.meta());
        d.meta = s.meta().of(part);
        d.part = Optional.of(part);
        continue;
      }
      Dir parent = parentOf(top, path, s.meta());
      String name = path.substring(path.lastIndexOf('/') + 1);
      if (!path.isEmpty() && parent.children.containsKey(name)) {
        throw RpcException.failed("duplicate entry \"" + path + "\" in the upload");
      }
      ImportedEntry file;
      if (part.isSymlink()) {
        file = link(importer, upload.body(), path, s.meta().ofSymlink(part));
      } else {
        InputStream body = s.progress() ? new Progress(upload.body(), path, out) : upload.body();
        file = importer.importFile(body, path, s.meta().of(part));
        if (body instanceof Progress p) {
          p.report();
        }
      }
      // An unnamed file (a plain stream) is keyed by its CID so several can coexist.
      parent.children.put(path.isEmpty() ? file.cid().toString() : name, file);
      if (!s.quieter()) {
        emit(out, file, false, path.contains("/") ? Optional.empty() : Optional.of(part));
      }
    }
    if (parts == 0) {
      throw RpcException.badRequest("file argument \"path\" is required");
    }
    List<ImportedEntry> roots = new ArrayList<>();
    for (Object child : top.children.values()) {
      roots.add(child instanceof Dir d ? build(importer, d, out, s) : (ImportedEntry) child);
    }
    // The wrapping directory has no metadata of its own, so only the mode/mtime options apply.
    Optional<ImportedEntry> wrapper =
        importer.finishTree(roots, s.meta().of(OptionalInt.empty(), Optional.empty()));
    if (wrapper.isPresent()) {
      emit(out, wrapper.get(), true, Optional.empty());
      return List.of(wrapper.get());
    }
    if (s.quieter()) {
      for (ImportedEntry root : roots) {
        // a top-level directory always has a name
        emit(out, root, false, Optional.empty());
      }
    }
    return roots;
  }

  /** A symbolic link part: its body is the target, at most {@link #MAX_LINK_TARGET} bytes. */
  private static ImportedEntry link(
      UnixfsImporter importer, InputStream body, String path, Metadata meta) throws IOException {
    if (path.isEmpty()) {
      throw RpcException.failed("a symlink part needs a name");
    }
    byte[] target = body.readNBytes(MAX_LINK_TARGET + 1);
    if (target.length > MAX_LINK_TARGET || target.length == 0) {
      throw RpcException.failed(
          "symlink \""
              + path
              + "\" has "
              + (target.length == 0
                  ? "an empty target"
                  : "a target over " + MAX_LINK_TARGET + " bytes"));
    }
    return importer.importSymlink(new String(target, StandardCharsets.UTF_8), path, meta);
  }

  private static ImportedEntry build(UnixfsImporter importer, Dir dir, ResponseSink out, Settings s)
      throws IOException {
    List<ImportedEntry> children = new ArrayList<>(dir.children.size());
    for (Object child : dir.children.values()) {
      children.add(child instanceof Dir d ? build(importer, d, out, s) : (ImportedEntry) child);
    }
    ImportedEntry built = importer.importDirectory(dir.path, children, dir.meta);
    if (!s.quieter()) {
      emit(out, built, true, dir.path.contains("/") ? Optional.empty() : dir.part);
    }
    return built;
  }

  /** The directory {@code path}, created with its parents when missing. */
  private static Dir directory(Dir top, String path, boolean declared, MetadataRule rule) {
    if (path.isEmpty()) {
      if (declared) {
        throw RpcException.failed("a directory part needs a name");
      }
      return top;
    }
    Dir current = top;
    String[] segments = path.split("/");
    StringBuilder walked = new StringBuilder();
    for (String segment : segments) {
      if (walked.length() > 0) {
        walked.append('/');
      }
      walked.append(segment);
      Object child = current.children.get(segment);
      if (child == null) {
        // Implied by a path until (unless) its own part arrives: no metadata of its own.
        Dir d = new Dir(walked.toString(), rule.of(OptionalInt.empty(), Optional.empty()));
        current.children.put(segment, d);
        current = d;
      } else if (child instanceof Dir d) {
        current = d;
      } else {
        throw RpcException.failed(
            "\"" + walked + "\" is both a file and a directory in the upload");
      }
    }
    return current;
  }

  private static Dir parentOf(Dir top, String path, MetadataRule rule) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? top : directory(top, path.substring(0, slash), false, rule);
  }

  /** Drops leading, trailing and repeated slashes; refuses "." and ".." segments. */
  static String normalise(String filename) {
    StringBuilder b = new StringBuilder();
    for (String segment : filename.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw RpcException.failed(
            "invalid path \"" + filename + "\" in the upload: '.' and '..' are not allowed");
      }
      if (b.length() > 0) {
        b.append('/');
      }
      b.append(segment);
    }
    return b.toString();
  }

  /**
   * One ndjson event; a top-level entry's event carries the mode and mtime its part was sent with,
   * as Kubo's does ({@code Mode} as an octal string).
   */
  private static void emit(
      ResponseSink out, ImportedEntry entry, boolean isDirectory, Optional<UploadPart> part)
      throws IOException {
    // Kubo names an unnamed file (a plain stream) by its CID; the wrapping directory stays "".
    String name = entry.path().isEmpty() && !isDirectory ? entry.cid().toString() : entry.path();
    JsonObject event =
        new JsonObject()
            .put("Name", name)
            .put("Hash", entry.cid().toString())
            .put("Size", Long.toString(entry.size()));
    if (part.isPresent()) {
      OptionalInt mode = part.get().mode();
      if (mode.isPresent()) {
        event.put("Mode", "0" + Integer.toOctalString(mode.getAsInt()));
      }
      Optional<Instant> mtime = part.get().mtime();
      if (mtime.isPresent() && mtime.get().getEpochSecond() > 0) {
        event.put("Mtime", mtime.get().getEpochSecond());
        if (mtime.get().getNano() > 0) {
          event.put("MtimeNsecs", mtime.get().getNano());
        }
      }
    }
    out.write((event.encode() + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Counts a file's bytes and writes a progress event every {@link #PROGRESS_STEP}. */
  private static final class Progress extends FilterInputStream {
    private final String name;
    private final ResponseSink out;
    private long bytes;
    private long reported;

    Progress(InputStream in, String name, ResponseSink out) {
      super(in);
      this.name = name;
      this.out = out;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws IOException {
      bytes += n;
      if (bytes - reported >= PROGRESS_STEP) {
        report();
      }
    }

    void report() throws IOException {
      reported = bytes;
      out.write(
          (new JsonObject().put("Name", name).put("Bytes", bytes).encode() + "\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }
}
