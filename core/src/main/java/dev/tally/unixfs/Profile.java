package dev.tally.unixfs;

import java.util.Optional;

/** The CID profiles of IPIP-499: import settings that give the same CIDs everywhere. */
public enum Profile {
  /** Kubo's historic default: CIDv0, dag-pb leaves, 256 KiB chunks, 174 links per node. */
  UNIXFS_V0_2015("unixfs-v0-2015", 0, false, 256 * 1024, 174, ShardSplitStrategy.LINKS_BYTES),
  /** Helia's default: CIDv1, raw leaves, 1 MiB chunks, 1024 links per node. */
  UNIXFS_V1_2025("unixfs-v1-2025", 1, true, 1024 * 1024, 1024, ShardSplitStrategy.BLOCK_BYTES);

  private final String profileName;
  final int cidVersion;
  final boolean rawLeaves;
  final int chunkSize;
  final int maxLinks;
  final ShardSplitStrategy shardSplitStrategy;

  Profile(
      String profileName,
      int cidVersion,
      boolean rawLeaves,
      int chunkSize,
      int maxLinks,
      ShardSplitStrategy shardSplitStrategy) {
    this.profileName = profileName;
    this.cidVersion = cidVersion;
    this.rawLeaves = rawLeaves;
    this.chunkSize = chunkSize;
    this.maxLinks = maxLinks;
    this.shardSplitStrategy = shardSplitStrategy;
  }

  /** The profile's name as Kubo's {@code --profile} and the config spell it. */
  public String profileName() {
    return profileName;
  }

  public static Optional<Profile> byName(String name) {
    for (Profile p : values()) {
      if (p.profileName.equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return profileName;
  }
}
