package dev.tally.daemon;

import dev.tally.http.HttpLimits;
import dev.tally.multiformats.Multiaddr;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Run in a fresh JVM by {@link HttpAllocatorWarmUpTest}: starts the daemon's HTTP server path (as
 * for the RPC API and the gateway) with no libp2p host, prints {@code listening}, answers one
 * request, prints {@code answered}, and stops. The JVM's class-initialisation log on the same
 * stdout shows when the allocator's JFR event classes were initialised.
 */
public final class HttpAllocatorWarmUpProbe {
  private HttpAllocatorWarmUpProbe() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    HttpLimits limits = HttpLimits.defaults();
    List<HttpServer> servers =
        Daemon.listen(
            vertx,
            limits,
            Daemon.guard(vertx, limits),
            request -> request.response().end("ok"),
            HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER,
            Multiaddr.parse("/ip4/127.0.0.1/tcp/0"),
            "probe");
    System.out.println("listening");
    System.out.flush();
    // The JDK's client, not a Vert.x one: nothing on the client side touches Netty.
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + servers.get(0).actualPort() + "/")
                .toURL()
                .openConnection();
    try (InputStream in = c.getInputStream()) {
      System.out.println("answered " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    System.out.flush();
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
