package dev.tally.exchange.message;

/** What a wantlist entry asks for: the block itself, or only whether the peer has it. */
public enum WantType {
  BLOCK,
  HAVE
}
