package dev.tally.plugin.spi.log;

/** Receives verified entries from a subscription, one at a time, in causal order. */
@FunctionalInterface
public interface EntryListener {
  /**
   * One entry. Throwing fails the plugin (and stops it); so does not returning within the node's
   * delivery time limit.
   *
   * @param entry the entry
   * @param after the heads of everything delivered so far, this entry included: the checkpoint to
   *     store with whatever you derived from it
   */
  void onEntry(VerifiedEntry entry, Heads after) throws Exception;
}
