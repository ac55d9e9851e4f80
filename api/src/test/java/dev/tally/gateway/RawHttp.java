package dev.tally.gateway;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain HTTP/1.1 client over one socket, so tests see the exact status line, header lines and
 * body bytes, and can send a second request on the same connection.
 */
final class RawHttp implements AutoCloseable {
  /** A response as it came off the wire; {@code complete} is false when the body was cut short. */
  record Response(String status, List<String> headers, byte[] body, boolean complete) {
    long contentLength() {
      for (String h : headers) {
        if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          return Long.parseLong(h.substring(h.indexOf(':') + 1).trim());
        }
      }
      return -1;
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(30_000);
    in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    out = socket.getOutputStream();
  }

  /** Sends a request with the given extra header lines. */
  void send(String method, String path, String... headers) throws IOException {
    StringBuilder b = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    out.write(b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads the status line and headers of the next response. */
  Response head() throws IOException {
    String status = line();
    List<String> headers = new ArrayList<>();
    for (String h = line(); !h.isEmpty(); h = line()) {
      headers.add(h);
    }
    return new Response(status, headers, new byte[0], true);
  }

  /** Reads up to {@code n} body bytes (fewer at end of stream). */
  byte[] body(long n) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    long left = n;
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        break;
      }
      body.write(buf, 0, r);
      left -= r;
    }
    return body.toByteArray();
  }

  /** Sends a request and reads its whole response (no body for HEAD). */
  Response exchange(String method, String path, String... headers) throws IOException {
    send(method, path, headers);
    Response h = head();
    long length = method.equals("HEAD") ? 0 : Math.max(0, h.contentLength());
    byte[] body = body(length);
    return new Response(h.status(), h.headers(), body, body.length == length);
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed in the response head");
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
