package dev.tally.plugin.spi.log;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A set of log heads (entry CIDs in their canonical text form, sorted): the version of the log a
 * figure reflects, and the checkpoint a subscription resumes from. Any peer holding the same heads
 * holds the same log and derives the same figures.
 */
public record Heads(List<String> cids) {
  /** Before the first entry: a subscription from here receives the whole log. */
  public static final Heads NONE = new Heads(List.of());

  public Heads {
    for (String c : cids) {
      if (c.isBlank() || c.indexOf(',') >= 0 || !c.strip().equals(c)) {
        throw new IllegalArgumentException("not a CID: \"" + c + "\"");
      }
    }
    cids = List.copyOf(new TreeSet<>(cids));
  }

  /** Parses {@link #toString()}'s form: CIDs separated by commas; empty text is {@link #NONE}. */
  public static Heads parse(String text) {
    if (text.isBlank()) {
      return NONE;
    }
    List<String> out = new ArrayList<>();
    for (String c : text.split(",", -1)) {
      out.add(c.strip());
    }
    return new Heads(out);
  }

  public boolean isEmpty() {
    return cids.isEmpty();
  }

  /** The CIDs joined by commas (empty for {@link #NONE}); {@link #parse} reads it back. */
  @Override
  public String toString() {
    return String.join(",", cids);
  }
}
