package dev.tally.rpc;

import dev.tally.http.MultipartReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Reads small multipart file parts into memory, each bounded (worker thread). */
final class Bodies {
  private Bodies() {}

  /**
   * Every file part's bytes, each at most {@code max} bytes; {@code name} is the file argument's
   * name, {@code what} explains the limit.
   */
  static List<byte[]> files(MultipartReader upload, int max, String name, String what)
      throws IOException {
    List<byte[]> files = new ArrayList<>();
    while (upload.next().isPresent()) {
      files.add(bounded(upload.body(), max, what));
    }
    if (files.isEmpty()) {
      throw RpcException.badRequest("file argument \"" + name + "\" is required");
    }
    return files;
  }

  private static byte[] bounded(InputStream in, int max, String what) throws IOException {
    byte[] data = in.readNBytes(max);
    if (in.read() >= 0) {
      throw RpcException.failed(
          "input is larger than " + max + " bytes" + (what.isEmpty() ? "" : ": " + what));
    }
    return data;
  }
}
