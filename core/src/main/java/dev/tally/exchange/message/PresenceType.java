package dev.tally.exchange.message;

/** A peer's answer to a want-have (or to a want with sendDontHave). */
public enum PresenceType {
  HAVE,
  DONT_HAVE
}
