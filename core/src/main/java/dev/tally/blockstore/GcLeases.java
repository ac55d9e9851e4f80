package dev.tally.blockstore;

import dev.tally.multiformats.Multihash;

/**
 * Protection from a blockstore's garbage collection for blocks an operation relies on before any
 * root keeps them (a snapshot fetched before the log entry naming it has arrived). The storage
 * module's collector implements it; a store nothing collects needs none ({@link #NONE}).
 *
 * <p>Protect a block <em>before</em> putting or reading it: then either the collector deleted it
 * first (and the put stores it again, or the read fetches it again) or it sees the protection.
 */
public interface GcLeases {
  /** For stores that are never collected (memory stores, tests): protects nothing. */
  GcLeases NONE =
      () ->
          new Lease() {
            @Override
            public void protect(Multihash mh) {}

            @Override
            public void close() {}
          };

  /** A lease protecting nothing yet. */
  Lease open();

  /** One operation's protected blocks. Close it once a root keeps them, or they are abandoned. */
  interface Lease extends AutoCloseable {
    /**
     * Protects {@code mh} from now until this lease is closed (and, if a collection runs then,
     * until it ends).
     *
     * @throws IllegalStateException when the lease is closed
     */
    void protect(Multihash mh);

    @Override
    void close();
  }
}
