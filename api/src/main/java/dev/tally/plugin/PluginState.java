package dev.tally.plugin;

/** Where a plugin is in its life. */
public enum PluginState {
  /** {@code start} is running. */
  STARTING,
  /** Started; receiving entries and serving routes. */
  RUNNING,
  /** Stopped by the node (shutdown). */
  STOPPED,
  /** Refused, or threw, or overran a time limit: stopped; {@code error} says why. */
  FAILED
}
