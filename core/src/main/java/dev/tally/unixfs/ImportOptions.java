package dev.tally.unixfs;

import dev.tally.multiformats.Multicodec;

/**
 * Everything that decides the CIDs of an import, named as Kubo's {@code ipfs add} flags. Build one
 * with {@link #builder()} (Kubo's defaults, profile {@code unixfs-v0-2015}) or {@link
 * #builder(Profile)}; the builder applies Kubo's implications ({@code --cid-version 1} implies raw
 * leaves, a hash other than sha2-256 implies CIDv1).
 *
 * @param cidVersion 0 or 1 ({@code --cid-version})
 * @param rawLeaves leaves are raw blocks instead of dag-pb UnixFS file nodes ({@code --raw-leaves})
 * @param chunker how the byte stream is cut ({@code --chunker})
 * @param layout balanced or trickle ({@code --trickle})
 * @param maxLinks most children of one file node
 * @param hashFunction multihash code of every block's hash ({@code --hash})
 * @param inlineLimit blocks of at most this many bytes get identity CIDs; 0 disables ({@code
 *     --inline}, {@code --inline-limit})
 * @param wrapWithDirectory put the imported item in a directory ({@code --wrap-with-directory})
 * @param onlyHash compute CIDs without storing blocks ({@code --only-hash})
 * @param hidden include names starting with '.' when importing a directory tree ({@code --hidden})
 * @param preserveMode record POSIX permission bits ({@code --preserve-mode})
 * @param preserveMtime record modification times ({@code --preserve-mtime})
 * @param shardSplitStrategy how a directory's size is measured for sharding
 * @param shardSplitThresholdBytes a directory larger than this becomes a HAMT
 * @param hamtFanout children per HAMT shard (a power of two up to 256)
 */
public record ImportOptions(
    int cidVersion,
    boolean rawLeaves,
    ChunkerSpec chunker,
    Layout layout,
    int maxLinks,
    long hashFunction,
    int inlineLimit,
    boolean wrapWithDirectory,
    boolean onlyHash,
    boolean hidden,
    boolean preserveMode,
    boolean preserveMtime,
    ShardSplitStrategy shardSplitStrategy,
    int shardSplitThresholdBytes,
    int hamtFanout) {

  /** Kubo's {@code --inline-limit} default. */
  public static final int DEFAULT_INLINE_LIMIT = 32;

  /** Kubo rejects identity CIDs with longer digests, so nothing larger may be inlined. */
  public static final int MAX_INLINE_LIMIT = 128;

  /** Kubo's and ipfs-unixfs-importer's HAMT threshold (256 KiB). */
  public static final int DEFAULT_SHARD_THRESHOLD = 256 * 1024;

  public ImportOptions {
    if (cidVersion != 0 && cidVersion != 1) {
      throw new UnixfsException("cid-version must be 0 or 1, got " + cidVersion);
    }
    if (cidVersion == 0 && hashFunction != Multicodec.SHA2_256) {
      throw new UnixfsException("CIDv0 only supports sha2-256; use --cid-version 1 with --hash");
    }
    if (chunker == null || layout == null || shardSplitStrategy == null) {
      throw new UnixfsException("import options: chunker, layout and shard strategy are required");
    }
    if (maxLinks < 2) {
      throw new UnixfsException("max links per node must be at least 2, got " + maxLinks);
    }
    if (inlineLimit < 0 || inlineLimit > MAX_INLINE_LIMIT) {
      throw new UnixfsException(
          "inline limit must be 0.." + MAX_INLINE_LIMIT + " bytes, got " + inlineLimit);
    }
    if (hamtFanout < 2 || hamtFanout > 256 || Integer.bitCount(hamtFanout) != 1) {
      throw new UnixfsException("HAMT fanout must be a power of two in 2..256, got " + hamtFanout);
    }
  }

  /** Kubo's defaults (profile {@code unixfs-v0-2015}). */
  public static ImportOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return builder(Profile.UNIXFS_V0_2015);
  }

  public static Builder builder(Profile profile) {
    return new Builder(profile);
  }

  /** Collects flags; {@link #build()} resolves them the way Kubo does. */
  public static final class Builder {
    private final Profile profile;
    private Integer cidVersion;
    private Boolean rawLeaves;
    private ChunkerSpec chunker;
    private Layout layout = Layout.BALANCED;
    private Integer maxLinks;
    private long hashFunction = Multicodec.SHA2_256;
    private int inlineLimit;
    private boolean wrapWithDirectory;
    private boolean onlyHash;
    private boolean hidden;
    private boolean preserveMode;
    private boolean preserveMtime;
    private int shardSplitThresholdBytes = DEFAULT_SHARD_THRESHOLD;
    private int hamtFanout = 256;

    private Builder(Profile profile) {
      this.profile = profile;
    }

    public Builder cidVersion(int version) {
      this.cidVersion = version;
      return this;
    }

    public Builder rawLeaves(boolean raw) {
      this.rawLeaves = raw;
      return this;
    }

    public Builder chunker(ChunkerSpec spec) {
      this.chunker = spec;
      return this;
    }

    public Builder chunker(String spec) {
      return chunker(ChunkerSpec.parse(spec));
    }

    public Builder layout(Layout l) {
      this.layout = l;
      return this;
    }

    public Builder trickle(boolean trickle) {
      return layout(trickle ? Layout.TRICKLE : Layout.BALANCED);
    }

    public Builder maxLinks(int n) {
      this.maxLinks = n;
      return this;
    }

    public Builder hashFunction(long multihashCode) {
      this.hashFunction = multihashCode;
      return this;
    }

    /** Enables identity CIDs for blocks of at most {@code limit} bytes (0 disables). */
    public Builder inline(int limit) {
      this.inlineLimit = limit;
      return this;
    }

    public Builder wrapWithDirectory(boolean wrap) {
      this.wrapWithDirectory = wrap;
      return this;
    }

    public Builder onlyHash(boolean only) {
      this.onlyHash = only;
      return this;
    }

    public Builder hidden(boolean include) {
      this.hidden = include;
      return this;
    }

    public Builder preserveMode(boolean preserve) {
      this.preserveMode = preserve;
      return this;
    }

    public Builder preserveMtime(boolean preserve) {
      this.preserveMtime = preserve;
      return this;
    }

    public Builder shardSplitThresholdBytes(int bytes) {
      this.shardSplitThresholdBytes = bytes;
      return this;
    }

    public Builder hamtFanout(int fanout) {
      this.hamtFanout = fanout;
      return this;
    }

    public ImportOptions build() {
      int version = cidVersion != null ? cidVersion : profile.cidVersion;
      if (hashFunction != Multicodec.SHA2_256 && cidVersion == null) {
        version = 1;
      }
      boolean raw = rawLeaves != null ? rawLeaves : (version == 1 || profile.rawLeaves);
      return new ImportOptions(
          version,
          raw,
          chunker != null ? chunker : ChunkerSpec.fixed(profile.chunkSize),
          layout,
          maxLinks != null ? maxLinks : profile.maxLinks,
          hashFunction,
          inlineLimit,
          wrapWithDirectory,
          onlyHash,
          hidden,
          preserveMode,
          preserveMtime,
          profile.shardSplitStrategy,
          shardSplitThresholdBytes,
          hamtFanout);
    }
  }
}
