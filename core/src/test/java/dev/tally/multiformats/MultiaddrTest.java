package dev.tally.multiformats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Vectors from multiformats/rust-multiaddr ({@code tests/lib.rs}, text with expected binary) and
 * multiformats/go-multiaddr ({@code multiaddr_test.go}, accepted/rejected text and round trips).
 */
class MultiaddrTest {
  private static final String PEER = "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC";
  private static final String PEER_HEX =
      "A503221220D52EBB89D85B02A284948203A62FF28389C57C9F42BEEC4EC20DB76A68911C0B";

  @ParameterizedTest
  @CsvSource({
    "/ip4/1.2.3.4, 0401020304",
    "/ip4/0.0.0.0, 0400000000",
    "/ip6/::1, 2900000000000000000000000000000001",
    "/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21, 29260100094F819700803ECA6566E80C21",
    "/udp/0, 91020000",
    "/tcp/0, 060000",
    "/sctp/0, 84010000",
    "/udp/1234, 910204D2",
    "/tcp/1234, 0604D2",
    "/udp/65535, 9102FFFF",
    "/tcp/65535, 06FFFF",
    "/p2p/" + PEER + ", " + PEER_HEX,
    "/tcp/1234/http, 0604D2E003",
    "/tcp/1234/tls/http, 0604D2C003E003",
    "/tcp/1234/https, 0604D2BB03",
    "/p2p/" + PEER + "/tcp/1234, " + PEER_HEX + "0604D2",
    "/ip4/127.0.0.1/udp/1234, 047F000001910204D2",
    "/ip4/127.0.0.1/tcp/4321, 047f0000010610e1",
    "/ip4/127.0.0.1/udp/1234/ip4/127.0.0.1/tcp/4321, 047f000001910204d2047f0000010610e1",
    "/ip4/127.0.0.1/p2p/" + PEER + ", 047F000001" + PEER_HEX,
    "/ip6/2001:8a0:7ac5:4201:3ac9:86ff:fe31:7095/tcp/8000/ws/p2p/"
        + PEER
        + ", 29200108A07AC542013AC986FFFE317095061F40DD03"
        + PEER_HEX,
    "/ip6/2001:8a0:7ac5:4201:3ac9:86ff:fe31:7095/tcp/8000/wss/p2p/"
        + PEER
        + ", 29200108A07AC542013AC986FFFE317095061F40DE03"
        + PEER_HEX,
    "/ip4/127.0.0.1/tcp/9090/p2p-circuit/p2p/" + PEER + ", 047F000001062382A202" + PEER_HEX,
    "/dnsaddr/sjc-1.bootstrap.libp2p.io, 3819736A632D312E626F6F7473747261702E6C69627032702E696F",
    "/dnsaddr/sjc-1.bootstrap.libp2p.io/tcp/1234/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN,"
        + " 3819736A632D312E626F6F7473747261702E6C69627032702E696F0604D2A50322122006B3608AA000274049EB28AD8E793A26FF6FAB281A7D3BD77CD18EB745DFAABB",
    "/ip4/127.0.0.1/tcp/127/ws, 047F00000106007FDD03",
    "/ip4/127.0.0.1/tcp/127/tls, 047F00000106007FC003",
    "/ip4/127.0.0.1/tcp/127/tls/ws, 047F00000106007FC003DD03",
    "/ip4/127.0.0.1/tcp/127/noise, 047F00000106007FC603",
    "/ip4/127.0.0.1/udp/1234/webrtc-direct, 047F000001910204D29802",
    "/ip4/127.0.0.1/udp/1234/webrtc-direct/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g,"
        + " 047F000001910204D29802D203221220C3AB8FF13720E8AD9047DD39466B3C8974E592C2FA383D4A3960714CAEF0C4F2",
    "/ip4/127.0.0.1/udp/1234/quic/webtransport, 047F000001910204D2CC03D103",
  })
  void convertsTextToTheReferenceBinaryAndBack(String text, String hex) {
    Multiaddr a = Multiaddr.parse(text);
    assertEquals(hex.toLowerCase(Locale.ROOT), Hex.of(a.bytes()));
    Multiaddr b = Multiaddr.decode(Hex.bytes(hex.toLowerCase(Locale.ROOT)));
    assertEquals(a, b);
    assertEquals(text, b.toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/ip4/127.0.0.1/tcp/1234/",
        "/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21/udp/1234/quic-v1",
        "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/b2uaraocy6yrdblb4sfptaddgimjmmpy",
        "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/b2uaraocy6yrdblb4sfptaddgimjmmpy"
            + "/certhash/zQmbWTwYGcmdyK9CYfNBcfs9nhZs17a6FQ4Y8oea278xx41",
        "/ipfs/k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl7/tcp/1234",
        "/p2p/bafzbeigvf25ytwc3akrijfecaotc74udrhcxzh2cx3we5qqnw5vgrei4bm",
        "/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV",
        "/p2p/k51qzi5uqu5dhb6l8spkdx7yxafegfkee5by8h7lmjh2ehc2sgg34z7c15vzqs",
        "/p2p/bafzaajaiaejcalj543iwv2d7pkjt7ykvefrkfu7qjfi6sduakhso4lay6abn2d5u",
        "/ip6zone/x%y/ip6/::",
        "/ip4/127.0.0.1/tcp/443/tls/sni/example.com/http",
        "/dns/example.com/tcp/443/wss",
        "/dns4/example.com/udp/4001/quic-v1",
        "/dns6/example.com/tcp/4001",
        "/ip4/127.0.0.1/tcp/9090/http/webrtc"
      })
  void acceptsGoMultiaddrGoodAddresses(String text) {
    Multiaddr a = Multiaddr.parse(text);
    assertEquals(a, Multiaddr.decode(a.bytes()));
    assertEquals(a, Multiaddr.parse(a.toString()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/ip6/::ffff:127.0.0.1/tcp/111",
        "/ip4/127.0.0.1/tcp/123/tls",
        "/ip4/127.0.0.1/udp/123/ip6/::",
        "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g",
        "/p2p/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP"
      })
  void roundTripsCanonicalTextUnchanged(String text) {
    assertEquals(text, Multiaddr.parse(text).toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/ip4",
        "/ip4/::1",
        "/ip4/fdpsofodsajfdoisa",
        "/ip4/256.0.0.1",
        "/ip4/01.2.3.4",
        "/ip6",
        "/ip6/1:2:3:4:5:6:7:8:9",
        "/ip6/1::2::3",
        "/ip6/12345::",
        "/ip6zone",
        "/ip6zone/",
        "/udp",
        "/tcp",
        "/sctp",
        "/udp/65536",
        "/tcp/65536",
        "/quic-v1/65536",
        "/ip4/127.0.0.1/udp/jfodsajfidosajfoidsa",
        "/ip4/127.0.0.1/udp",
        "/ip4/127.0.0.1/tcp",
        "/ip4/127.0.0.1/quic-v1/1234",
        "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash",
        "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/b2uaraocy6yrdblb4sfptaddgimjmmp",
        "/ip4/127.0.0.1/ipfs",
        "/ip4/127.0.0.1/ipfs/tcp",
        "/ip4/127.0.0.1/p2p",
        "/ip4/127.0.0.1/p2p/tcp",
        "/ip4/1.2.3.4/tcp/-1",
        "/ip4/1.2.3.4//tcp/1",
        "/",
        "",
        "ip4/1.2.3.4",
        "/unknown/1.2.3.4",
        "/p2p/QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY",
        "/p2p/k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl-",
        "/p2p/?unknownmultibase",
        "/p2p/k2jmtxwoe2phm1hbqp0e7nufqf6umvuu2e9qd7ana7h411a0haqj6i2z"
      })
  void rejectsGoMultiaddrBadAddresses(String text) {
    assertThrows(MultiaddrException.class, () -> Multiaddr.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a503221221c05877cbae039d70a5e600ea02c6f9f2942439285c9e344e26f8d280c850fad6",
        "01020304",
        "",
        "047f0000",
        "06ff",
        "380a6162",
        "38ffffffffffffffffff01",
        "3802c328"
      })
  void rejectsMalformedBinary(String hex) {
    assertThrows(MultiaddrException.class, () -> Multiaddr.decode(Hex.bytes(hex)));
  }

  @Test
  void parsesIpfsAsAliasOfP2p() {
    String p2p = "/p2p/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP";
    assertEquals(
        p2p, Multiaddr.parse("/ipfs/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP").toString());
  }

  @Test
  void acceptsPeerIdsAsCidOrBase58() {
    assertEquals(
        Multiaddr.parse("/p2p/" + PEER),
        Multiaddr.parse("/p2p/k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl7"));
    assertEquals(
        Multiaddr.parse("/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV"),
        Multiaddr.parse("/p2p/k51qzi5uqu5dhb6l8spkdx7yxafegfkee5by8h7lmjh2ehc2sgg34z7c15vzqs"));
    assertEquals(
        Multihash.decode(Hex.bytes(PEER_HEX.substring(6))),
        Multiaddr.parse("/ip4/1.2.3.4/tcp/1/p2p/" + PEER).peerId().orElseThrow());
  }

  @Test
  void exposesComponents() {
    Multiaddr a = Multiaddr.parse("/ip4/127.0.0.1/udp/1234/quic-v1");
    assertEquals(
        List.of(
            new Multiaddr.Component(MultiaddrProtocol.IP4, "127.0.0.1"),
            new Multiaddr.Component(MultiaddrProtocol.UDP, "1234"),
            new Multiaddr.Component(MultiaddrProtocol.QUIC_V1, "")),
        a.components());
    assertEquals(a, Multiaddr.of(a.components()));
    assertEquals("1234", a.valueOf(MultiaddrProtocol.UDP).orElseThrow());
    assertTrue(a.valueOf(MultiaddrProtocol.TCP).isEmpty());
  }

  @Test
  void encapsulatesAndDecapsulatesLikeGoMultiaddr() {
    Multiaddr m = Multiaddr.parse("/ip4/127.0.0.1/udp/1234");
    Multiaddr b = m.encapsulate(Multiaddr.parse("/udp/5678"));
    assertEquals("/ip4/127.0.0.1/udp/1234/udp/5678", b.toString());
    assertEquals("/ip4/127.0.0.1/udp/1234", b.decapsulate(Multiaddr.parse("/udp/5678")).toString());
    assertTrue(m.decapsulate(Multiaddr.parse("/ip4/127.0.0.1")).isEmpty());
  }

  @ParameterizedTest
  @CsvSource({
    "/ip4/1.2.3.4/tcp/1234, /ip4/1.2.3.4, ''",
    "/ip4/1.2.3.4, /ip4/1.2.3.4/tcp/1234, /ip4/1.2.3.4",
    "/ip4/1.2.3.5/tcp/1234, /ip4/5.3.2.1, /ip4/1.2.3.5/tcp/1234",
    "/ip4/1.2.3.5/udp/1234/quic-v1, /udp/1234, /ip4/1.2.3.5",
    "/ip4/1.2.3.6/udp/1234/quic-v1, /udp/1234/quic-v1, /ip4/1.2.3.6",
    "/ip4/1.2.3.7/tcp/1234, /ws, /ip4/1.2.3.7/tcp/1234",
    "/dnsaddr/wss.com/tcp/4001, /ws, /dnsaddr/wss.com/tcp/4001",
    "/dnsaddr/wss.com/tcp/4001/ws, /wss, /dnsaddr/wss.com/tcp/4001/ws",
    "/dnsaddr/wss.com/ws, /wss, /dnsaddr/wss.com/ws",
    "/dnsaddr/wss.com/ws, /dnsaddr/wss.com, ''",
    "/dnsaddr/wss.com/tcp/4001/wss, /wss, /dnsaddr/wss.com/tcp/4001"
  })
  void decapsulatesGoMultiaddrCases(String left, String right, String expected) {
    Multiaddr result = Multiaddr.parse(left).decapsulate(Multiaddr.parse(right));
    assertEquals(expected, result.toString());
  }

  @Test
  void formatsIpv6Canonically() {
    assertEquals(
        "/ip6/2001:db8::1",
        Multiaddr.parse("/ip6/2001:0DB8:0000:0000:0000:0000:0000:0001").toString());
    assertEquals(
        "/ip6/2001:db8:0:1:1:1:1:1", Multiaddr.parse("/ip6/2001:db8::1:1:1:1:1").toString());
    assertEquals("/ip6/2001:0:0:1::1", Multiaddr.parse("/ip6/2001:0:0:1:0:0:0:1").toString());
    assertEquals("/ip6/::", Multiaddr.parse("/ip6/0:0:0:0:0:0:0:0").toString());
  }

  @Test
  void equalityFollowsBytes() {
    assertEquals(
        Multiaddr.parse("/ip4/127.0.0.1/tcp/1234"), Multiaddr.parse("/ip4/127.0.0.1/tcp/1234/"));
    assertNotEquals(
        Multiaddr.parse("/ip4/127.0.0.1/udp/1234"), Multiaddr.parse("/ip4/127.0.0.1/tcp/1234"));
  }
}
