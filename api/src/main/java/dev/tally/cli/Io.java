package dev.tally.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The standard streams of the running command. {@link Main#run} sets them per invocation so tests
 * can run commands in process with their own stdin and capture binary stdout.
 */
final class Io {
  private static final ThreadLocal<Io> CURRENT = new ThreadLocal<>();

  final InputStream in;
  final PrintStream out;
  final PrintStream err;

  Io(InputStream in, PrintStream out, PrintStream err) {
    this.in = in;
    this.out = out;
    this.err = err;
  }

  static Io current() {
    Io io = CURRENT.get();
    return io != null ? io : new Io(System.in, System.out, System.err);
  }

  static void set(Io io) {
    if (io == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(io);
    }
  }
}
