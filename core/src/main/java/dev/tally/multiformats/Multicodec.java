package dev.tally.multiformats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the multicodec table (the copy of multiformats/multicodec's {@code table.csv}
 * shipped as a resource next to this class).
 *
 * @param name the table's name, e.g. {@code "dag-pb"}
 * @param tag the table's tag, e.g. {@code "ipld"}, {@code "multihash"}, {@code "multiaddr"}
 * @param code the numeric code written as a varint on the wire
 * @param status {@code "permanent"}, {@code "draft"} or {@code "deprecated"}
 */
public record Multicodec(String name, String tag, long code, String status) {
  public static final long IDENTITY = 0x00;
  public static final long SHA1 = 0x11;
  public static final long SHA2_256 = 0x12;
  public static final long SHA2_512 = 0x13;
  public static final long SHA3_512 = 0x14;
  public static final long SHA3_256 = 0x16;
  public static final long BLAKE3 = 0x1e;
  public static final long RAW = 0x55;
  public static final long DAG_PB = 0x70;
  public static final long DAG_CBOR = 0x71;
  public static final long LIBP2P_KEY = 0x72;
  public static final long DAG_JSON = 0x0129;
  public static final long BLAKE2B_256 = 0xb220;
  public static final long BLAKE2B_512 = 0xb240;
  public static final long CAR = 0x0202;

  private static final String RESOURCE = "/dev/tally/multiformats/table.csv";

  public Multicodec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(status, "status");
  }

  public static Optional<Multicodec> byCode(long code) {
    return Optional.ofNullable(Table.BY_CODE.get(code));
  }

  public static Optional<Multicodec> byName(String name) {
    return Optional.ofNullable(Table.BY_NAME.get(name));
  }

  /** The codec named {@code name}; throws a {@link MultiformatException} if the table lacks it. */
  public static Multicodec require(String name) {
    return byName(name)
        .orElseThrow(() -> new MultiformatException("unknown multicodec name '" + name + "'"));
  }

  /** Table name of {@code code}, or its hex form when the table does not know it (for messages). */
  public static String describe(long code) {
    Multicodec c = Table.BY_CODE.get(code);
    String hex = "0x" + Long.toHexString(code);
    return c == null ? hex + " (not in the multicodec table)" : c.name + " (" + hex + ")";
  }

  /** Loaded on first use so that classes needing only the constants never parse the CSV. */
  private static final class Table {
    static final Map<Long, Multicodec> BY_CODE;
    static final Map<String, Multicodec> BY_NAME;

    static {
      Map<Long, Multicodec> byCode = new HashMap<>();
      Map<String, Multicodec> byName = new HashMap<>();
      try (InputStream in = Multicodec.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("resource " + RESOURCE + " missing from the classpath");
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        r.readLine(); // header
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (line.isBlank()) {
            continue;
          }
          String[] f = line.split(",", 5);
          String name = f[0].trim();
          String hex = f[2].trim();
          long code = Long.parseUnsignedLong(hex.substring(2), 16);
          Multicodec c = new Multicodec(name, f[1].trim(), code, f[3].trim());
          // Codes are unique in the table; should a later copy repeat one, the first entry wins.
          byCode.putIfAbsent(code, c);
          byName.put(name, c);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
      BY_CODE = Collections.unmodifiableMap(byCode);
      BY_NAME = Collections.unmodifiableMap(byName);
    }
  }
}
