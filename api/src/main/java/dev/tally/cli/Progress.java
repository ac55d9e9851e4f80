package dev.tally.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress bar on stderr, redrawn at most every 100 ms; a no-op when disabled (not a
 * terminal, or quiet output).
 */
final class Progress {
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final int WIDTH = 40;

  private final boolean enabled;
  private final PrintWriter err;
  private final long total;
  private final AtomicLong done = new AtomicLong();
  private long lastDraw;

  private Progress(boolean enabled, PrintWriter err, long total) {
    this.enabled = enabled;
    this.err = err;
    this.total = total;
  }

  static Progress start(boolean enabled, PrintWriter err, long totalOrMinusOne) {
    return new Progress(enabled, err, totalOrMinusOne);
  }

  InputStream counting(InputStream in) {
    if (!enabled) {
      return in;
    }
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          advance(1);
        }
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
          advance(n);
        }
        return n;
      }
    };
  }

  void advance(long bytes) {
    done.addAndGet(bytes);
    draw(false);
  }

  void finish() {
    if (enabled) {
      draw(true);
      err.println();
      err.flush();
    }
  }

  private void draw(boolean force) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (!force && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    long d = done.get();
    StringBuilder line = new StringBuilder("\r");
    if (total > 0) {
      int filled = (int) Math.min(WIDTH, d * WIDTH / total);
      line.append(human(d)).append(" / ").append(human(total)).append(" [");
      line.append("=".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ");
      line.append(String.format("%6.2f%%", Math.min(100.0, d * 100.0 / total)));
    } else {
      line.append(human(d));
    }
    err.print(line);
    err.flush();
  }

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format("%.2f %s", v, units[u]);
  }
}
