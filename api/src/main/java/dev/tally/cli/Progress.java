package dev.tally.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress bar on stderr, redrawn at most every 100 ms; a no-op when disabled (not a
 * terminal, or quiet output). Without a known total it shows the count and an optional note.
 */
final class Progress {
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final int WIDTH = 40;

  private final boolean enabled;
  private final PrintWriter err;
  private final long total;
  private final AtomicLong done = new AtomicLong();
  private volatile String note = "";
  private long lastDraw;
  private boolean finished;

  private Progress(boolean enabled, PrintWriter err, long total) {
    this.enabled = enabled;
    this.err = err;
    this.total = total;
  }

  static Progress start(boolean enabled, PrintWriter err, long totalOrMinusOne) {
    return new Progress(enabled, err, totalOrMinusOne);
  }

  /**
   * Whether a command shows its bar: as asked with {@code --progress[=false]}; otherwise only on a
   * terminal and without quiet output.
   */
  static boolean enabled(Boolean asked, boolean quiet, boolean terminal) {
    if (asked != null) {
      return asked;
    }
    return !quiet && terminal;
  }

  /**
   * Whether this process talks to a terminal. From JDK 22 {@link System#console()} is non-null even
   * when the output is piped, so its {@code isTerminal()} (looked up reflectively: the code targets
   * 17) decides; before 22 a console exists only on a terminal.
   */
  static boolean terminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | ClassCastException e) {
      return false;
    }
  }

  /** Sets the count to {@code value} (a daemon's running total) with a note such as "12 blocks". */
  void set(long value, String note) {
    done.set(value);
    this.note = note;
    draw(false);
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

  /** Draws the final state and ends the line; once (later calls do nothing). */
  void finish() {
    if (enabled && !finished) {
      draw(true);
      finished = true;
      err.println();
      err.flush();
    }
  }

  private void draw(boolean force) {
    if (!enabled || finished) {
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
    if (!note.isEmpty()) {
      line.append(" ").append(note);
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
