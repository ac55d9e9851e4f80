package dev.tally.net.host;

import dev.tally.crypto.Ed25519PrivateKey;
import io.vertx.core.Vertx;

/**
 * Run in a fresh JVM by {@link AllocatorWarmUpTest}: creates a host, prints {@code created}, then
 * closes it. The JVM's class-initialisation log on the same stdout shows whether the allocator's
 * JFR event classes were initialised before that line.
 */
public final class AllocatorWarmUpProbe {
  private AllocatorWarmUpProbe() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    BasicHost host =
        BasicHost.create(vertx, Ed25519PrivateKey.fromSeed(new byte[32]), HostOptions.defaults());
    System.out.println("created");
    System.out.flush();
    host.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
    vertx.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
  }
}
