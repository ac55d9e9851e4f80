package dev.tally.pinning;

import dev.tally.multiformats.Cid;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The filters of {@code GET /pins}: all given ones must match. Results come newest first; a client
 * pages by passing the last result's {@code created} as {@code before}.
 *
 * @param cids match any of these CIDs, in any version (empty: any)
 * @param name the name to match, by {@code match}
 * @param match exact, iexact, partial or ipartial
 * @param statuses match any of these (the spec's default is pinned only)
 * @param before created strictly before
 * @param after created strictly after
 * @param limit at most this many results (1..1000)
 * @param meta every key/value here must be in the request's meta
 */
public record PinQuery(
    Set<Cid> cids,
    Optional<String> name,
    String match,
    Set<PinRequest.Status> statuses,
    Optional<Instant> before,
    Optional<Instant> after,
    int limit,
    Map<String, String> meta) {
  public static final int MAX_LIMIT = 1000;
  public static final int MAX_CIDS = 10;
  static final List<String> MATCHES = List.of("exact", "iexact", "partial", "ipartial");

  public PinQuery {
    cids = cids.stream().map(Cid::toV1).collect(java.util.stream.Collectors.toUnmodifiableSet());
    statuses = Set.copyOf(statuses);
    meta = Map.copyOf(meta);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
    }
    if (!MATCHES.contains(match)) {
      throw new IllegalArgumentException("match must be one of " + MATCHES + ", got " + match);
    }
    if (cids.size() > MAX_CIDS) {
      throw new IllegalArgumentException("at most " + MAX_CIDS + " cids, got " + cids.size());
    }
  }

  boolean matches(PinRequest r) {
    return (cids.isEmpty() || cids.contains(Pin.parseCid(r.cid()).toV1()))
        && statuses.contains(r.status())
        && before.map(b -> r.created().isBefore(b)).orElse(true)
        && after.map(a -> r.created().isAfter(a)).orElse(true)
        && name.map(n -> nameMatches(r.pin().name(), n)).orElse(true)
        && r.pin().meta().entrySet().containsAll(meta.entrySet());
  }

  private boolean nameMatches(String actual, String wanted) {
    return switch (match) {
      case "iexact" -> actual.equalsIgnoreCase(wanted);
      case "partial" -> actual.contains(wanted);
      case "ipartial" -> actual.toLowerCase(Locale.ROOT).contains(wanted.toLowerCase(Locale.ROOT));
      default -> actual.equals(wanted);
    };
  }
}
