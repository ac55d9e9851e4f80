package dev.tally.plugin;

import dev.tally.plugin.spi.log.EntryListener;
import dev.tally.plugin.spi.log.Heads;
import dev.tally.plugin.spi.log.Subscription;
import dev.tally.plugin.spi.log.VerifiedEntry;
import java.util.HashSet;
import java.util.Set;

/**
 * One subscription's position. Entries arrive in causal order, so the heads after an entry are the
 * heads before it without the entries it follows, plus itself.
 */
final class EntrySubscription implements Subscription {
  private final EntryListener listener;
  private final Runnable onClose;
  private final Set<String> frontier;
  private volatile Heads position;
  private volatile boolean open = true;

  EntrySubscription(Heads from, EntryListener listener, Runnable onClose) {
    this.listener = listener;
    this.onClose = onClose;
    this.position = from;
    this.frontier = new HashSet<>(from.cids());
  }

  EntryListener listener() {
    return listener;
  }

  boolean isOpen() {
    return open;
  }

  /** The heads once {@code entry} is delivered (does not move the position). */
  Heads after(VerifiedEntry entry) {
    Set<String> next = new HashSet<>(frontier);
    entry.next().forEach(next::remove);
    next.add(entry.cid());
    return new Heads(java.util.List.copyOf(next));
  }

  /** Moves the position past a delivered entry. Called only from the plugin's thread. */
  void delivered(VerifiedEntry entry, Heads after) {
    entry.next().forEach(frontier::remove);
    frontier.add(entry.cid());
    position = after;
  }

  @Override
  public Heads position() {
    return position;
  }

  @Override
  public void close() {
    if (open) {
      open = false;
      onClose.run();
    }
  }
}
