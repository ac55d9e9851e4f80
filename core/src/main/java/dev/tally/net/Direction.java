package dev.tally.net;

/** Which side opened a connection or stream. */
public enum Direction {
  /** The remote peer opened it. */
  INBOUND,
  /** We opened it. */
  OUTBOUND
}
