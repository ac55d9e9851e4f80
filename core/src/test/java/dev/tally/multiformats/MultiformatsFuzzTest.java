package dev.tally.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Feeds random and mutated inputs to every decoder for a fixed time budget. A decoder may accept
 * the input (then it must round-trip) or throw its own typed exception; anything else is a bug.
 */
class MultiformatsFuzzTest {
  private static final long BUDGET_NANOS = 2_000_000_000L;

  private static final List<byte[]> BINARY_SEEDS =
      List.of(
          Hex.bytes("1220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"),
          Hex.bytes("01551220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"),
          Hex.bytes("0171a0e40220256c83b297114d201b30179f3f0ef0cace9783622da5974326b436178aeef610"),
          Hex.bytes("000b68656c6c6f20776f726c64"),
          Hex.bytes("ffffffffffffffff7f"),
          Hex.bytes(
              "29200108a07ac542013ac986fffe317095061f40dd03a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b"),
          Hex.bytes("3819736a632d312e626f6f7473747261702e6c69627032702e696f0604d2"),
          Hex.bytes(
              "047f000001910204d29802d203221220c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2"));

  private static final List<String> TEXT_SEEDS =
      List.of(
          "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
          "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
          "k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl7",
          "MAAB5ZXMgbWFuaSAh",
          "cab4wk4zanvqw42jaee======",
          "🚀🏃✋🌈😅🌷🤤😻🌟😅👏",
          "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g",
          "/ip6/::ffff:127.0.0.1/tcp/111/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV",
          "/dns4/example.com/tcp/443/wss/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
          "/ip6zone/x%y/ip6/fe80::1/udp/1/quic");

  @Test
  void varintDecodersThrowOnlyVarintException() {
    fuzzBytes(
        VarintException.class,
        b -> {
          long v = Varint.decode(b, 0, b.length);
          ByteBuffer buf = ByteBuffer.wrap(b);
          assertEquals(v, Varint.read(buf));
          assertEquals(Varint.encodedLength(v), buf.position());
        });
  }

  @Test
  void multihashDecoderThrowsOnlyMultihashException() {
    fuzzBytes(MultihashException.class, b -> assertArrayEquals(b, Multihash.decode(b).bytes()));
  }

  @Test
  void cidDecoderThrowsOnlyCidFormatException() {
    fuzzBytes(
        CidFormatException.class,
        b -> {
          Cid cid = Cid.decode(b);
          assertArrayEquals(b, cid.bytes());
          assertEquals(cid, Cid.parse(cid.toString()));
        });
  }

  @Test
  void cidParserThrowsOnlyCidFormatException() {
    fuzzText(
        CidFormatException.class,
        s -> {
          Cid cid = Cid.parse(s);
          assertEquals(cid, Cid.parse(cid.toString()));
        });
  }

  @Test
  void multibaseDecoderThrowsOnlyMultibaseException() {
    fuzzText(
        MultibaseException.class,
        s -> {
          byte[] b = Multibase.decode(s);
          assertArrayEquals(b, Multibase.decode(Multibase.of(s).encode(b)));
        });
  }

  @Test
  void multiaddrDecoderThrowsOnlyMultiaddrException() {
    fuzzBytes(
        MultiaddrException.class,
        b -> {
          Multiaddr a = Multiaddr.decode(b);
          assertEquals(a, Multiaddr.parse(a.toString()));
        });
  }

  @Test
  void multiaddrParserThrowsOnlyMultiaddrException() {
    fuzzText(
        MultiaddrException.class,
        s -> {
          Multiaddr a = Multiaddr.parse(s);
          assertEquals(a, Multiaddr.decode(a.bytes()));
          assertEquals(a, Multiaddr.parse(a.toString()));
        });
  }

  private static void fuzzBytes(
      Class<? extends MultiformatException> allowed, Consumer<byte[]> target) {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    long deadline = System.nanoTime() + BUDGET_NANOS;
    while (System.nanoTime() < deadline) {
      byte[] input =
          r.nextInt(4) == 0
              ? randomBytes(r)
              : mutate(r, BINARY_SEEDS.get(r.nextInt(BINARY_SEEDS.size())));
      run(allowed, target, input, "seed " + seed + ", input hex " + Hex.of(input));
    }
  }

  private static void fuzzText(
      Class<? extends MultiformatException> allowed, Consumer<String> target) {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    long deadline = System.nanoTime() + BUDGET_NANOS;
    while (System.nanoTime() < deadline) {
      String input;
      int mode = r.nextInt(4);
      if (mode == 0) {
        input = randomText(r);
      } else {
        String seedText = TEXT_SEEDS.get(r.nextInt(TEXT_SEEDS.size()));
        input =
            mode == 1
                ? new String(
                    mutate(r, seedText.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8)
                : mutateChars(r, seedText);
      }
      run(allowed, target, input, "seed " + seed + ", input '" + input + "'");
    }
  }

  private static <T> void run(
      Class<? extends MultiformatException> allowed, Consumer<T> target, T input, String context) {
    try {
      target.accept(input);
    } catch (MultiformatException e) {
      if (!allowed.isInstance(e)) {
        fail("expected " + allowed.getSimpleName() + " but got " + e + " for " + context, e);
      }
    } catch (AssertionError e) {
      throw new AssertionError("accepted input does not round-trip; " + context, e);
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      fail("unexpected " + e + " for " + context, e);
    }
  }

  private static byte[] randomBytes(Random r) {
    byte[] b = new byte[r.nextInt(48)];
    r.nextBytes(b);
    return b;
  }

  private static String randomText(Random r) {
    String alphabet = "/0123456789abcdefxyzQmkbBfFuUmMz:.%-_=🚀ip4tcpudp6dns";
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(60);
    for (int i = 0; i < n; i++) {
      sb.append(
          r.nextInt(20) == 0
              ? (char) r.nextInt(0x10000)
              : alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  static byte[] mutate(Random r, byte[] seed) {
    byte[] b = seed.clone();
    int edits = 1 + r.nextInt(3);
    for (int e = 0; e < edits; e++) {
      switch (r.nextInt(5)) {
        case 0 -> {
          if (b.length > 0) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
          }
        }
        case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
        case 2 -> {
          byte[] longer = Arrays.copyOf(b, b.length + 1 + r.nextInt(4));
          for (int i = b.length; i < longer.length; i++) {
            longer[i] = (byte) r.nextInt(256);
          }
          b = longer;
        }
        case 3 -> {
          if (b.length > 0) {
            b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
          }
        }
        default -> {
          if (b.length > 1) {
            int i = r.nextInt(b.length);
            byte[] shorter = new byte[b.length - 1];
            System.arraycopy(b, 0, shorter, 0, i);
            System.arraycopy(b, i + 1, shorter, i, b.length - i - 1);
            b = shorter;
          }
        }
      }
    }
    return b;
  }

  private static String mutateChars(Random r, String seed) {
    StringBuilder sb = new StringBuilder(seed);
    int edits = 1 + r.nextInt(3);
    for (int e = 0; e < edits && sb.length() > 0; e++) {
      int i = r.nextInt(sb.length());
      switch (r.nextInt(4)) {
        case 0 -> sb.setCharAt(i, "/:.0aZ=-_%🚀".charAt(r.nextInt(11)));
        case 1 -> sb.deleteCharAt(i);
        case 2 -> sb.insert(i, (char) (32 + r.nextInt(95)));
        default -> sb.setLength(i);
      }
    }
    return sb.toString();
  }
}
