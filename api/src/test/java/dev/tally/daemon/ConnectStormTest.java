package dev.tally.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.http.HttpLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that sends its whole request head at once is answered even when it connects in the
 * middle of a storm of connections that send nothing (ADR 017, ADR 041): the storm displaces idle
 * connections, never one whose head has already arrived. Before ADR 041 the daemon's event loops,
 * busy registering the storm's sockets, had not read such a head yet when {@code MaxConnections}
 * newer connections had come in, and the guard closed it as the oldest one waiting.
 */
@Tag("slow")
class ConnectStormTest {
  /** Small, so that few newer connects are enough to reach a prompt client: the hard case. */
  private static final int MAX_CONNECTIONS = 256;

  private static final int STORM = 4096;

  /** A prompt client after every this many idle connects. */
  private static final int PROMPT_EVERY = 256;

  @TempDir Path temp;

  @RegisterExtension final RunningDaemon daemons = new RunningDaemon();
  private final List<SocketChannel> storm = new ArrayList<>();
  private final List<Socket> prompt = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (SocketChannel c : storm) {
      c.close();
    }
    for (Socket s : prompt) {
      s.close();
    }
  }

  @Test
  void aClientWhoseHeadArrivedIsAnsweredInTheMiddleOfAStormOfIdleConnects() throws Exception {
    Daemon daemon =
        daemons.start(
            temp, new HttpLimits(MAX_CONNECTIONS, 64, 60, 4 << 20, 8192, Duration.ofSeconds(30)));
    InetSocketAddress api = RunningDaemon.api(daemon);
    byte[] head =
        ("POST /api/v0/version HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    for (int i = 1; i <= STORM; i++) {
      SocketChannel idle = SocketChannel.open();
      idle.configureBlocking(false);
      idle.connect(api);
      storm.add(idle);
      if (i % PROMPT_EVERY == 0) {
        // Its head is on the wire before any newer connection exists.
        Socket s = new Socket();
        s.connect(api, 10_000);
        s.getOutputStream().write(head);
        s.getOutputStream().flush();
        prompt.add(s);
      }
    }
    List<String> answers = new ArrayList<>();
    for (Socket s : prompt) {
      s.setSoTimeout(60_000);
      try {
        String status = StatusLine.read(s.getInputStream());
        answers.add(status.isEmpty() ? "closed" : status);
      } catch (SocketException e) {
        answers.add("reset");
      }
    }
    assertTrue(
        answers.stream().allMatch("HTTP/1.1 200 OK"::equals),
        "prompt clients in a storm of " + STORM + " idle connects: " + answers);
    // The storm did reach the limit: the daemon displaced idle connections to stay at it.
    String metrics = metrics(api);
    Matcher m = DISPLACED.matcher(metrics);
    assertTrue(m.find(), "no displaced counter in the metrics");
    assertTrue(
        Double.parseDouble(m.group(1)) >= STORM - 2 * MAX_CONNECTIONS,
        "the storm was not displaced: " + m.group());
    System.out.printf(
        "%d prompt clients answered in a storm of %d idle connects%n%s%n",
        answers.size(),
        STORM,
        String.join(
            "\n", metrics.lines().filter(l -> l.startsWith("tally_http_connections")).toList()));
  }

  private static final Pattern DISPLACED =
      Pattern.compile("tally_http_connections_displaced_total\\{server=\"api\"[^}]*\\} ([0-9.E]+)");

  private static String metrics(InetSocketAddress api) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(api, 10_000);
      s.setSoTimeout(60_000);
      s.getOutputStream()
          .write(
              "GET /debug/metrics/prometheus HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(response.startsWith("HTTP/1.1 200 OK"), "metrics: " + response);
      return response;
    }
  }
}
