package dev.tally.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The HttpBench client: one blocking HTTP/1.1 request per socket with a 1 MiB buffer, which is what
 * curl costs ({@code curl -F file=@FILE}: a Content-Length body; {@code curl -o /dev/null URL}).
 * Like curl it moves the body through one native buffer: {@code read(2)} of the file and {@code
 * send(2)} for an upload, {@code recv(2)} alone for a download. A {@link Socket} stream on a heap
 * array would add a copy each way (the JDK stages heap arrays through a temporary direct buffer).
 * The daemon and this client share the JVM and its two cores, so a client with a heavy per-buffer
 * pipeline (the JDK's {@code HttpClient} allocates and publishes every 16 KiB) would charge its own
 * CPU to the server's figure; HttpBench's {@code --client jdk} measures with that one instead.
 */
final class PlainHttpClient {
  private static final int BUFFER = 1 << 20;

  private final String host;
  private final int port;

  PlainHttpClient(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** A response: its status and (for small bodies) its bytes. */
  record Response(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** POSTs {@code file} as the one part of a multipart/form-data body; returns the answer. */
  Response postFile(String pathAndQuery, String filename, Path file) throws IOException {
    String boundary = "tally-bench-boundary-6f1c2a";
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    try (SocketChannel socket = open();
        FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long length = head.length + in.size() + tail.length;
      writeFully(
          socket,
          ("POST "
                  + pathAndQuery
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + ":"
                  + port
                  + "\r\nContent-Type: multipart/form-data; boundary="
                  + boundary
                  + "\r\nContent-Length: "
                  + length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      writeFully(socket, head);
      ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
      while (in.read(buf) >= 0) {
        buf.flip();
        while (buf.hasRemaining()) {
          socket.write(buf);
        }
        buf.clear();
      }
      writeFully(socket, tail);
      return read(new BufferedInputStream(Channels.newInputStream(socket)));
    }
  }

  private static void writeFully(SocketChannel socket, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      socket.write(b);
    }
  }

  private long lastHeadNanos = -1;

  /** How long the last {@link #getDiscarding} waited for its response head, from its connect. */
  long lastHeadNanos() {
    return lastHeadNanos;
  }

  /** GETs {@code path}, reading and discarding the body; returns its length. */
  long getDiscarding(String path) throws IOException {
    long start = System.nanoTime();
    try (SocketChannel socket = open()) {
      writeFully(
          socket,
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + ":"
                  + port
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
      // The head is read into the same buffer as the body; whatever follows it is body.
      int headEnd;
      while ((headEnd = headEnd(buf)) < 0) {
        if (!buf.hasRemaining() || socket.read(buf) < 0) {
          throw new IOException("GET " + path + ": no complete response head");
        }
      }
      lastHeadNanos = System.nanoTime() - start;
      byte[] headBytes = new byte[headEnd];
      buf.get(0, headBytes);
      Head h = head(new java.io.ByteArrayInputStream(headBytes));
      if (h.status != 200) {
        throw new IOException("GET " + path + " answered " + h.status);
      }
      long total = buf.position() - headEnd;
      long left = h.contentLength < 0 ? -1 : h.contentLength - total;
      while (left != 0) {
        buf.clear();
        if (left > 0 && left < buf.capacity()) {
          buf.limit((int) left);
        }
        int n = socket.read(buf);
        if (n < 0) {
          if (left > 0) {
            throw new IOException("GET " + path + ": body cut after " + total + " bytes");
          }
          break;
        }
        total += n;
        left = left < 0 ? left : left - n;
      }
      return total;
    }
  }

  /** The length of the response head in {@code buf}'s filled part (CRLFCRLF included), or -1. */
  private static int headEnd(ByteBuffer buf) {
    for (int i = 3; i < buf.position(); i++) {
      if (buf.get(i) == '\n' && buf.get(i - 1) == '\r' && buf.get(i - 2) == '\n') {
        return i + 1;
      }
    }
    return -1;
  }

  private SocketChannel open() throws IOException {
    SocketChannel socket = SocketChannel.open();
    socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
    socket.connect(new InetSocketAddress(host, port));
    return socket;
  }

  private record Head(int status, long contentLength, boolean chunked) {}

  private static Head head(InputStream in) throws IOException {
    String status = line(in);
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x response: " + status);
    }
    long length = -1;
    boolean chunked = false;
    for (String line; !(line = line(in)).isEmpty(); ) {
      int colon = line.indexOf(':');
      String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (name.equals("content-length")) {
        length = Long.parseLong(value);
      } else if (name.equals("transfer-encoding")) {
        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
      }
    }
    return new Head(Integer.parseInt(parts[1]), length, chunked);
  }

  /** Reads a whole (small) response body: chunked, by length, or to the end of the stream. */
  private static Response read(InputStream in) throws IOException {
    Head h = head(in);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (h.chunked) {
      for (long size; (size = Long.parseLong(line(in).split(";")[0].strip(), 16)) > 0; ) {
        body.write(in.readNBytes((int) size));
        line(in);
      }
    } else if (h.contentLength >= 0) {
      body.write(in.readNBytes((int) h.contentLength));
    } else {
      in.transferTo(body);
    }
    return new Response(h.status, body.toByteArray());
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new IOException("connection closed inside a response head");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }
}
