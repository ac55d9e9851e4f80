package dev.tally.plugin.spi.log;

/** A CID link inside a record, in its canonical text form. */
public record Link(String cid) {
  @Override
  public String toString() {
    return cid;
  }
}
