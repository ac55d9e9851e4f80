package dev.tally.net.multistream;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/** What a responder supports. The host backs it with its live handler table. */
public interface ProtocolRegistry {
  boolean supports(String protocol);

  /** The protocols listed in answer to {@code ls}. */
  List<String> protocols();

  /** A fixed registry. */
  static ProtocolRegistry of(Collection<String> protocols) {
    List<String> list = List.copyOf(protocols);
    Set<String> set = Set.copyOf(list);
    return new ProtocolRegistry() {
      @Override
      public boolean supports(String protocol) {
        return set.contains(protocol);
      }

      @Override
      public List<String> protocols() {
        return list;
      }
    };
  }
}
