package dev.tally.cli;

import dev.tally.multiformats.Multiaddr;
import dev.tally.multiformats.MultiaddrException;
import dev.tally.multiformats.MultiaddrProtocol;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The CLI as a client of a running daemon's RPC API, as Kubo's CLI: the daemon is the one named by
 * {@code --api MULTIADDR}, else the one whose address is in {@code <repo>/api} (ignored when
 * nothing listens there any more: a daemon that died without removing it).
 */
final class ApiClient {
  static final String OFFLINE_ERROR =
      "this command must be run in online mode. Try running 'tally daemon' first.";

  private static final int PROBE_TIMEOUT_MS = 1000;

  /** The global {@code --api} option of the current command line (empty when not given). */
  private static volatile Optional<Multiaddr> override = Optional.empty();

  /** The global {@code --offline} flag of the current command line. */
  private static volatile boolean offline;

  private final URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  private ApiClient(URI base) {
    this.base = base;
  }

  static void override(Optional<String> api) {
    try {
      override = api.map(Multiaddr::parse);
    } catch (MultiaddrException e) {
      throw new IllegalArgumentException("--api: invalid multiaddr: " + e.getMessage(), e);
    }
  }

  /** The global {@code --api-auth} secret, as the Authorization header value it becomes. */
  private static volatile Optional<String> authorization = Optional.empty();

  static void auth(Optional<String> secret) {
    authorization =
        secret.map(
            s -> {
              if (s.startsWith("bearer:")) {
                return "Bearer " + s.substring(7);
              }
              if (s.startsWith("basic:")) {
                return "Basic "
                    + java.util.Base64.getEncoder()
                        .encodeToString(s.substring(6).getBytes(StandardCharsets.UTF_8));
              }
              throw new IllegalArgumentException(
                  "--api-auth: expected bearer:TOKEN or basic:USER:PASSWORD");
            });
  }

  static void offline(boolean value) {
    offline = value;
  }

  /**
   * The daemon serving {@code repo}, if one runs (or {@code --api} names one); always empty with
   * {@code --offline}, so the command opens the repo itself (and meets its lock if a daemon holds
   * it).
   */
  static Optional<ApiClient> find(Path repo) {
    Optional<Multiaddr> named = override;
    if (offline) {
      if (named.isPresent()) {
        throw new IllegalArgumentException("--api and --offline cannot be used together");
      }
      return Optional.empty();
    }
    if (named.isPresent()) {
      return Optional.of(new ApiClient(uri(named.get())));
    }
    String text;
    try {
      text = Files.readString(repo.resolve("api"), StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + repo.resolve("api"), e);
    }
    Multiaddr address;
    try {
      address = Multiaddr.parse(text);
    } catch (MultiaddrException e) {
      return Optional.empty();
    }
    URI uri = uri(address);
    return listening(uri) ? Optional.of(new ApiClient(uri)) : Optional.empty();
  }

  /** The daemon, or Kubo's error for commands that need one. */
  static ApiClient require(Path repo) {
    return find(repo).orElseThrow(() -> new IllegalStateException(OFFLINE_ERROR));
  }

  private static URI uri(Multiaddr address) {
    String host =
        address
            .valueOf(MultiaddrProtocol.IP4)
            .or(() -> address.valueOf(MultiaddrProtocol.IP6).map(h -> "[" + h + "]"))
            .or(() -> address.valueOf(MultiaddrProtocol.DNS4))
            .or(() -> address.valueOf(MultiaddrProtocol.DNS6))
            .or(() -> address.valueOf(MultiaddrProtocol.DNS))
            .orElseThrow(
                () -> new IllegalArgumentException("API address " + address + " has no host"));
    String port =
        address
            .valueOf(MultiaddrProtocol.TCP)
            .orElseThrow(
                () -> new IllegalArgumentException("API address " + address + " has no /tcp/"));
    return URI.create("http://" + host + ":" + port + "/api/v0/");
  }

  private static boolean listening(URI uri) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), PROBE_TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * GETs {@code path} (absolute, e.g. a plugin route {@code /plugins/loan-book/loans}) with {@code
   * params}; answers the status and body whatever the status (plugins answer errors in JSON).
   */
  HttpResponse<String> get(String path, List<Map.Entry<String, String>> params) throws IOException {
    try {
      return http.send(
          HttpRequest.newBuilder(target(path, params)).GET().build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      throw new IOException("cannot reach the daemon's API at " + base + ": connection refused", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while talking to the daemon", e);
    }
  }

  /** POSTs {@code command} with {@code params}; the body streams (caller closes). */
  InputStream post(String command, List<Map.Entry<String, String>> params) throws IOException {
    return send(
        HttpRequest.newBuilder(target(command, params))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  InputStream post(String command, Params params) throws IOException {
    return post(command, params.list());
  }

  /**
   * POSTs {@code command}; tells {@code length} the answer's {@code X-Content-Length} (Kubo's size
   * of the content behind a stream, for progress bars) when the daemon sends one.
   */
  InputStream post(String command, Params params, java.util.function.LongConsumer length)
      throws IOException {
    HttpResponse<InputStream> r =
        sendForResponse(
            HttpRequest.newBuilder(target(command, params.list()))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    r.headers().firstValueAsLong("X-Content-Length").ifPresent(length);
    return r.body();
  }

  JsonObject json(String command, Params params) throws IOException {
    return json(command, params.list());
  }

  /**
   * An answer of one JSON object per line (Kubo's streamed output), each handed to {@code each}.
   */
  void lines(String command, Params params, java.util.function.Consumer<JsonObject> each)
      throws IOException {
    lines(post(command, params.list()), each);
  }

  static void lines(InputStream body, java.util.function.Consumer<JsonObject> each)
      throws IOException {
    try (java.io.BufferedReader in =
        new java.io.BufferedReader(new java.io.InputStreamReader(body, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.isBlank()) {
          each.accept(new JsonObject(line));
        }
      }
    }
  }

  /**
   * One part of a multipart upload, opened only when the body reaches it: a file ({@code
   * application/octet-stream}), or in a directory upload a directory ({@code
   * application/x-directory}, no content) or a symlink ({@code application/symlink}, the target).
   */
  record Part(
      String name,
      String contentType,
      java.util.concurrent.Callable<InputStream> content,
      String metadata) {
    static final String FILE = "application/octet-stream";

    /** A part without POSIX metadata. */
    Part(String name, String contentType, java.util.concurrent.Callable<InputStream> content) {
      this(name, contentType, content, "");
    }

    /** A file part. */
    Part(String name, java.util.concurrent.Callable<InputStream> content) {
      this(name, FILE, content);
    }

    /**
     * The form field name: {@code file}, followed by the entry's mode and mtime as Kubo's CLI sends
     * them ({@code file?mode=0644&mtime=SECS&mtime-nsecs=NANOS}) when it has them.
     */
    String field() {
      return metadata.isEmpty() ? "file" : "file?" + metadata;
    }
  }

  /** POSTs every part in one multipart body, streamed. */
  InputStream upload(String command, Params params, List<Part> parts) throws IOException {
    String boundary = "tally-" + UUID.randomUUID();
    java.util.Vector<java.util.function.Supplier<InputStream>> pieces = new java.util.Vector<>();
    for (Part part : parts) {
      String head =
          "--"
              + boundary
              + "\r\nContent-Disposition: form-data; name=\""
              + part.field()
              + "\"; filename=\""
              + URLEncoder.encode(part.name(), StandardCharsets.UTF_8)
              + "\"\r\nContent-Type: "
              + part.contentType()
              + "\r\n\r\n";
      pieces.add(() -> new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)));
      pieces.add(
          () -> {
            try {
              return part.content().call();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      pieces.add(() -> new ByteArrayInputStream("\r\n".getBytes(StandardCharsets.UTF_8)));
    }
    String tail = "--" + boundary + "--\r\n";
    pieces.add(() -> new ByteArrayInputStream(tail.getBytes(StandardCharsets.UTF_8)));
    java.util.Iterator<java.util.function.Supplier<InputStream>> it = pieces.iterator();
    InputStream body =
        new SequenceInputStream(
            new java.util.Enumeration<InputStream>() {
              @Override
              public boolean hasMoreElements() {
                return it.hasNext();
              }

              @Override
              public InputStream nextElement() {
                return it.next().get();
              }
            });
    return send(
        HttpRequest.newBuilder(target(command, params.list()))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
            .build());
  }

  JsonObject json(String command, List<Map.Entry<String, String>> params) throws IOException {
    try (InputStream in = post(command, params)) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** POSTs {@code command} and reads its ndjson answer, one object per line. */
  List<JsonObject> jsonLines(String command, List<Map.Entry<String, String>> params)
      throws IOException {
    try (InputStream in = post(command, params)) {
      List<JsonObject> out = new java.util.ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          out.add(new JsonObject(line));
        }
      }
      return out;
    }
  }

  /** POSTs {@code content} as one multipart file part, streamed (never held in memory). */
  InputStream upload(
      String command, List<Map.Entry<String, String>> params, String name, InputStream content)
      throws IOException {
    String boundary = "tally-" + UUID.randomUUID();
    String head =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
            + URLEncoder.encode(name, StandardCharsets.UTF_8)
            + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    InputStream body =
        new SequenceInputStream(
            Collections.enumeration(
                List.of(
                    new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)),
                    content,
                    new ByteArrayInputStream(tail.getBytes(StandardCharsets.UTF_8)))));
    return send(
        HttpRequest.newBuilder(target(command, params))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
            .build());
  }

  private URI target(String command, List<Map.Entry<String, String>> params) {
    StringBuilder query = new StringBuilder();
    for (Map.Entry<String, String> p : params) {
      query.append(query.length() == 0 ? '?' : '&');
      query
          .append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
    }
    return base.resolve(command + query);
  }

  private InputStream send(HttpRequest unsigned) throws IOException {
    return sendForResponse(unsigned).body();
  }

  private HttpResponse<InputStream> sendForResponse(HttpRequest unsigned) throws IOException {
    HttpRequest request =
        authorization
            .map(
                a ->
                    HttpRequest.newBuilder(unsigned, (name, value) -> true)
                        .header("Authorization", a)
                        .build())
            .orElse(unsigned);
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      throw new IOException("cannot reach the daemon's API at " + base + ": connection refused", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while talking to the daemon", e);
    }
    if (response.statusCode() == 200) {
      return response;
    }
    String text;
    try (InputStream in = response.body()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // Kubo's error body: {"Message": ..., "Code": ..., "Type": "error"}.
    String message;
    try {
      message = new JsonObject(text).getString("Message", text.strip());
    } catch (DecodeException | ClassCastException e) {
      message = text.strip();
    }
    throw new IllegalStateException(message);
  }
}
