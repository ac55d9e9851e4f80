package dev.tally.plugin.spi.log;

/** A running subscription; closing it stops deliveries (one in progress completes). */
public interface Subscription extends AutoCloseable {
  /** The heads of everything delivered so far. */
  Heads position();

  @Override
  void close();
}
