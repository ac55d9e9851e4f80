package dev.tally.daemon;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A crowd of slow HTTP clients, run in its own process by {@link SlowClientsTest} (so its sockets
 * do not count against the daemon's file limit): each opens a connection and trickles a request
 * head one byte a second, never finishing it, and reconnects whenever the server closes it (at most
 * once a second). Runs until its standard input closes, then prints how often it reconnected.
 *
 * <p>Usage: {@code SlowCrowd PORT CLIENTS}
 */
public final class SlowCrowd {
  private static final byte[] HEAD =
      "POST /api/v0/id HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);

  private SlowCrowd() {}

  /** One slow client: a non-blocking socket and how much of its head it has sent. */
  private static final class Slow {
    SocketChannel channel;
    int sent;
  }

  public static void main(String[] args) throws Exception {
    InetSocketAddress server = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
    Slow[] crowd = new Slow[Integer.parseInt(args[1])];
    for (int i = 0; i < crowd.length; i++) {
      crowd[i] = new Slow();
    }
    long[] reconnects = new long[1];
    Thread attacker =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                for (Slow s : crowd) {
                  reconnects[0] += trickle(s, server);
                }
                try {
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "slow-crowd");
    attacker.start();
    System.out.println("started");
    System.out.flush();
    while (System.in.read() >= 0) {
      // Runs until the test closes our stdin.
    }
    attacker.interrupt();
    attacker.join();
    for (Slow s : crowd) {
      if (s.channel != null) {
        s.channel.close();
      }
    }
    System.out.println("reconnects " + reconnects[0]);
  }

  /** Sends the next byte of {@code s}'s head; answers 1 when it had to reconnect. */
  private static int trickle(Slow s, InetSocketAddress server) {
    try {
      if (s.channel == null) {
        s.channel = SocketChannel.open();
        s.channel.configureBlocking(false);
        s.channel.connect(server);
        s.sent = 0;
        return 0;
      }
      if (s.channel.isConnectionPending()) {
        s.channel.finishConnect();
        return 0;
      }
      if (s.channel.read(ByteBuffer.allocate(256)) < 0) {
        throw new IOException("closed by the server");
      }
      byte next = s.sent < HEAD.length ? HEAD[s.sent] : (byte) 'x';
      s.channel.write(ByteBuffer.wrap(new byte[] {next}));
      s.sent++;
      return 0;
    } catch (IOException e) {
      try {
        s.channel.close();
      } catch (IOException closing) {
        // closing anyway
      }
      s.channel = null;
      return 1;
    }
  }
}
