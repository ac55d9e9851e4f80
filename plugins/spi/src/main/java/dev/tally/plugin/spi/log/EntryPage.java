package dev.tally.plugin.spi.log;

import java.util.List;

/**
 * A page of entries, oldest first.
 *
 * @param entries the entries
 * @param after the heads once these entries are seen: pass them to get the next page
 * @param more whether entries remain after this page
 */
public record EntryPage(List<VerifiedEntry> entries, Heads after, boolean more) {
  public EntryPage {
    entries = List.copyOf(entries);
  }
}
