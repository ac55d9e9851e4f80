package dev.tally.exchange.message;

import java.util.Optional;

/** The Bitswap protocol ids we speak, newest first: what each version may carry differs. */
public enum ProtocolVersion {
  V1_2_0("/ipfs/bitswap/1.2.0"),
  V1_1_0("/ipfs/bitswap/1.1.0"),
  V1_0_0("/ipfs/bitswap/1.0.0");

  private final String id;

  ProtocolVersion(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** 1.2.0 added want-have, DONT_HAVE and block presences. */
  public boolean supportsHave() {
    return this == V1_2_0;
  }

  /** 1.1.0 added blocks with CID prefixes (any CID); 1.0.0 carries CIDv0 blocks only. */
  public boolean supportsPrefixes() {
    return this != V1_0_0;
  }

  public static Optional<ProtocolVersion> of(String protocolId) {
    for (ProtocolVersion v : values()) {
      if (v.id.equals(protocolId)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /** Every id, newest first, as offered in multistream-select. */
  public static String[] ids() {
    ProtocolVersion[] all = values();
    String[] ids = new String[all.length];
    for (int i = 0; i < all.length; i++) {
      ids[i] = all[i].id;
    }
    return ids;
  }

  @Override
  public String toString() {
    return id;
  }
}
