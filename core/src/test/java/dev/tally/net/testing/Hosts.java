package dev.tally.net.testing;

import dev.tally.multiformats.Multiaddr;
import dev.tally.net.host.BasicHost;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/** Small helpers for tests that run libp2p hosts. */
public final class Hosts {
  private Hosts() {}

  /** The host's first listen address with its peer id, as a dialer needs it. */
  public static Multiaddr p2p(BasicHost h) {
    return h.listenAddresses().get(0).encapsulate("/p2p/" + h.peerId());
  }

  /** The future's result, failing the test after 20 s or with the future's failure. */
  public static <T> T await(Future<T> f) {
    try {
      return f.await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
