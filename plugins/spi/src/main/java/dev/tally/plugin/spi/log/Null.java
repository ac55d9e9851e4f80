package dev.tally.plugin.spi.log;

/** The IPLD null inside a record (a map value cannot be Java's {@code null}). */
public enum Null {
  VALUE
}
