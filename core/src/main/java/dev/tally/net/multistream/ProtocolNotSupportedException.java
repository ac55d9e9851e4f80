package dev.tally.net.multistream;

import java.util.List;

/** The responder answered {@code na} to every protocol the initiator proposed. */
public final class ProtocolNotSupportedException extends MultistreamException {
  private static final long serialVersionUID = 1L;

  private final List<String> proposed;

  public ProtocolNotSupportedException(List<String> proposed) {
    super("peer supports none of the proposed protocols " + proposed);
    this.proposed = List.copyOf(proposed);
  }

  public List<String> proposed() {
    return proposed;
  }
}
