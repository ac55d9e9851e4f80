package dev.tally.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.cluster.audit.AuditOptions;
import dev.tally.cluster.audit.AuditSigner;
import dev.tally.cluster.audit.Auditor;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.PeerId;
import dev.tally.exchange.Bitswap;
import dev.tally.exchange.ExchangeOptions;
import dev.tally.ipld.Block;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import dev.tally.unixfs.ImportOptions;
import dev.tally.unixfs.UnixfsExporter;
import dev.tally.unixfs.UnixfsImporter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's audit fault: four members on loopback with Bitswap and the audit protocol. One claims
 * its pins without fetching anything; one holds the data but answers audits with altered bytes.
 * Every member's audits catch both, every member's fold takes their pins away, and the pins end up
 * on the two honest members, whose copies are checked against the SHA-256 of the bytes added.
 */
class AuditTest {
  private static final int PINS = 12;
  private static final ClusterOptions OPTIONS =
      new ClusterOptions(
          Duration.ofMillis(200),
          new TrackerOptions(4, Duration.ofMillis(200), Duration.ofSeconds(2)),
          new AuditSchedule(Duration.ofMillis(200), 8));
  private static final AuditOptions AUDIT =
      AuditOptions.defaults().withAnswerTimeout(Duration.ofSeconds(5));

  private final Vertx vertx = Vertx.vertx();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final List<Node> nodes = new ArrayList<>();

  /**
   * How a member behaves: honest; claims pins it never fetches; alters the bytes it audits with.
   */
  enum Kind {
    HONEST,
    CLAIMS_WITHOUT_FETCHING,
    SERVES_WRONG_BYTES
  }

  /** A blockstore whose reads return each block with its last byte flipped. */
  private static final class Altering extends ForwardingBlockstore {
    private final Blockstore real;

    Altering(Blockstore real) {
      super(real);
      this.real = real;
    }

    @Override
    public Optional<Block> get(Cid cid) {
      return real.get(cid)
          .map(
              b -> {
                byte[] bytes = b.bytes();
                bytes[bytes.length - 1] ^= 1;
                return Block.of(cid, bytes);
              });
    }

    @Override
    public void close() {
      real.close();
    }
  }

  /** Local pins that report a pin done at once, fetching nothing. */
  private static final class ClaimedPins implements LocalPins {
    final Set<Cid> pinned = ConcurrentHashMap.newKeySet();

    @Override
    public void pin(Cid cid, String name) {
      pinned.add(cid);
    }

    @Override
    public void unpin(Cid cid) {
      pinned.remove(cid);
    }

    @Override
    public Set<Cid> pinned() {
      return Set.copyOf(pinned);
    }

    @Override
    public long freeBytes() {
      return 10L << 30;
    }
  }

  private final class Node {
    final Ed25519PrivateKey key;
    final Kind kind;
    final MemoryBlockstore store = new MemoryBlockstore();
    final ExchangePins honest = new ExchangePins(store);
    final ClaimedPins claimed = new ClaimedPins();
    Log log;
    BasicHost host;
    Bitswap bitswap;
    Auditor auditor;
    Cluster cluster;

    Node(int i, Kind kind) {
      this.key = Keys.key(300 + i);
      this.kind = kind;
    }

    PeerId id() {
      return PeerId.fromPublicKey(key.publicKey());
    }

    LocalPins pins() {
      return kind == Kind.CLAIMS_WITHOUT_FETCHING ? claimed : honest;
    }

    void start() {
      host = BasicHost.create(vertx, key, HostOptions.defaults());
      await(host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
      bitswap = await(Bitswap.start(vertx, host, store, ExchangeOptions.defaults()));
      honest.exchange = bitswap;
      cluster = Cluster.open(log, key, pins(), OPTIONS, System::currentTimeMillis, l -> {});
      Blockstore answers = kind == Kind.SERVES_WRONG_BYTES ? new Altering(store) : store;
      auditor =
          new Auditor(
                  vertx,
                  host,
                  answers,
                  (peer, id, pin) -> cluster.auditRefusal(peer, pin),
                  new AuditSigner(key, id -> cluster.admittedBy()),
                  AUDIT)
              .start();
      // The member with altered bytes audits too: its challenges check answers against its bad
      // copies and log failures against honest peers, which the others' audits never confirm.
      cluster.audit(auditor);
      for (Node other : nodes) {
        if (other != this && other.host != null) {
          await(
              host.dial(
                  other.host.listenAddresses().get(0).encapsulate("/p2p/" + other.host.peerId())));
        }
      }
      cluster.start(scheduler);
    }

    void stop() {
      cluster.close();
      auditor.close();
      await(bitswap.close());
      await(host.close());
    }
  }

  @AfterEach
  void stop() throws Exception {
    scheduler.shutdownNow();
    for (Node n : nodes) {
      if (n.cluster != null) {
        n.stop();
      }
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void waitFor(String what, Duration limit, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        for (Node n : nodes) {
          System.err.println(n.kind + " " + n.id() + " audits " + n.cluster.auditStats());
          n.cluster.members().forEach(m -> System.err.println("  sees " + m));
          n.cluster
              .members()
              .forEach(
                  m ->
                      System.err.println(
                          "  failures of "
                              + m.peer()
                              + ": "
                              + n.cluster.pinset().auditFailures(m.peer()).values()));
        }
        throw new AssertionError(what + " not reached within " + limit);
      }
      Thread.sleep(100);
    }
  }

  /** Every member joins every other's heads (the stand-in for log replication). */
  private void gossip() {
    for (Node a : nodes) {
      for (Node b : nodes) {
        if (a != b && !a.log.heads().equals(b.log.heads())) {
          a.cluster.join(b.log.heads(), b.store::get);
        }
      }
    }
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }

  /**
   * Starts {@code nodes} as one cluster created by the first (heartbeats 250 ms, down after 2.5 s,
   * {@code strikes}), each admitted by it, replicating by gossip; returns once all see all live.
   */
  private Node formCluster(String name, int strikes) throws Exception {
    Node admin = nodes.get(0);
    LogManifest manifest =
        LogManifest.create(
            name, 1, List.of(admin.key.publicKey()), 0, List.of(admin.key.publicKey()), true);
    for (Node n : nodes) {
      n.log = Log.create(manifest, n.store);
    }
    admin.start();
    admin.cluster.settings(
        new SettingsRecord(Duration.ofMillis(250), Duration.ofMillis(2500)).withStrikes(strikes));
    for (Node n : nodes.subList(1, nodes.size())) {
      admin.cluster.admit(n.id());
    }
    for (Node n : nodes.subList(1, nodes.size())) {
      n.log.join(admin.log.heads(), admin.store::get);
      n.start();
    }
    scheduler.scheduleWithFixedDelay(this::gossip, 0, 100, TimeUnit.MILLISECONDS);
    waitFor(
        "four live members",
        Duration.ofSeconds(20),
        () -> nodes.stream().allMatch(n -> n.cluster.members().stream().allMatch(Member::live)));
    return admin;
  }

  @Test
  void membersThatClaimPinsTheyDoNotHoldOrServeWrongBytesAreCaughtAndTheirPinsMove()
      throws Exception {
    nodes.add(new Node(0, Kind.HONEST));
    nodes.add(new Node(1, Kind.HONEST));
    nodes.add(new Node(2, Kind.CLAIMS_WITHOUT_FETCHING));
    nodes.add(new Node(3, Kind.SERVES_WRONG_BYTES));
    Node admin = formCluster("audited", 2);

    UnixfsImporter importer =
        new UnixfsImporter(
            admin.store, ImportOptions.builder().chunker("size-8192").rawLeaves(true).build());
    Random random = new Random(21);
    Map<Cid, byte[]> digests = new HashMap<>();
    for (int i = 0; i < PINS; i++) {
      byte[] data = new byte[20 * 1024];
      random.nextBytes(data);
      Cid cid = importer.importStream(new ByteArrayInputStream(data), "f" + i).cid();
      digests.put(cid, sha256(data));
      admin.cluster.pin(PinRecord.of(cid, "f" + i, 2, 2));
    }

    Set<PeerId> honest = Set.of(nodes.get(0).id(), nodes.get(1).id());
    PeerId claimer = nodes.get(2).id();
    PeerId alterer = nodes.get(3).id();
    waitFor(
        "both cheats struck out on every member and every pin on the two honest members",
        Duration.ofSeconds(90),
        () ->
            nodes.stream()
                .allMatch(
                    n ->
                        n.cluster.pinset().struckOut(claimer)
                            && n.cluster.pinset().struckOut(alterer)
                            && digests.keySet().stream()
                                .allMatch(
                                    c -> Set.copyOf(n.cluster.allocation(c)).equals(honest))));

    // Every member's fold holds the same audit failures: all against the cheats, none else.
    gossip();
    Map<PeerId, Map<Cid, AuditRecord>> failures = new HashMap<>();
    for (Node n : nodes) {
      failures.put(n.id(), n.cluster.pinset().auditFailures(n.id()));
    }
    for (Node n : nodes) {
      for (Node about : nodes) {
        assertEquals(
            failures.get(about.id()),
            n.cluster.pinset().auditFailures(about.id()),
            n.id() + "'s view of " + about.id());
      }
    }
    assertTrue(failures.get(nodes.get(0).id()).isEmpty(), "an honest member was never failed");
    assertTrue(failures.get(nodes.get(1).id()).isEmpty(), "an honest member was never failed");
    assertTrue(failures.get(claimer).size() >= 2, "" + failures.get(claimer));
    assertTrue(failures.get(alterer).size() >= 2, "" + failures.get(alterer));
    assertTrue(
        failures.get(claimer).values().stream().allMatch(r -> r.reason().contains("does not hold")),
        "" + failures.get(claimer));
    // Its own prover checks its copies before signing, so it admits them missing.
    assertTrue(
        failures.get(alterer).values().stream().allMatch(r -> r.reason().contains("does not hold")),
        "" + failures.get(alterer));
    List<Entry> audits =
        admin.log.traverse().filter(e -> e.record().toString().contains(AuditRecord.TYPE)).toList();
    assertFalse(audits.isEmpty());

    // The honest members hold every pin, byte for byte.
    for (Node n : nodes.subList(0, 2)) {
      waitFor(
          n.id() + " holds every pin",
          Duration.ofSeconds(60),
          () -> n.honest.pinned.containsAll(digests.keySet()));
      for (Map.Entry<Cid, byte[]> d : digests.entrySet()) {
        assertTrue(ExchangePins.intact(n.store, d.getKey()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new UnixfsExporter(n.store).cat(d.getKey(), out);
        assertArrayEquals(d.getValue(), sha256(out.toByteArray()), d.getKey() + " on " + n.id());
      }
    }
    waitFor(
        "the cheats let go of every pin",
        Duration.ofSeconds(30),
        () -> nodes.get(2).claimed.pinned.isEmpty() && nodes.get(3).honest.pinned.isEmpty());
  }

  @Test
  void aMemberThatLogsFalseFailuresCannotMoveAnHonestPeersPins() throws Exception {
    for (int i = 0; i < 4; i++) {
      nodes.add(new Node(10 + i, Kind.HONEST));
    }
    Node admin = formCluster("framed", 1);
    UnixfsImporter importer =
        new UnixfsImporter(
            admin.store, ImportOptions.builder().chunker("size-8192").rawLeaves(true).build());
    Random random = new Random(26);
    List<Cid> pins = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      byte[] data = new byte[20 * 1024];
      random.nextBytes(data);
      Cid cid = importer.importStream(new ByteArrayInputStream(data), "g" + i).cid();
      pins.add(cid);
      admin.cluster.pin(PinRecord.of(cid, "g" + i, 2, 2));
    }
    Node liar = nodes.get(3);
    waitFor(
        "the liar sees every pin allocated",
        Duration.ofSeconds(20),
        () -> pins.stream().allMatch(c -> liar.cluster.allocation(c).size() == 2));
    Node victim =
        nodes.stream()
            .filter(
                n ->
                    n != liar
                        && pins.stream().anyMatch(c -> liar.cluster.allocation(c).contains(n.id())))
            .findFirst()
            .orElseThrow();
    List<Cid> victims =
        pins.stream().filter(c -> liar.cluster.allocation(c).contains(victim.id())).toList();
    waitFor(
        "the victim reports its pins pinned",
        Duration.ofSeconds(30),
        () ->
            victims.stream()
                .allMatch(
                    c ->
                        liar.cluster.pinset().states(c).getOrDefault(victim.id(), null) != null
                            && liar.cluster.pinset().states(c).get(victim.id()).status()
                                == PinState.PINNED));

    // The liar logs a failure against the victim for each of its pins: no evidence, and evidence
    // it signed itself claiming wrong bytes.
    for (Cid c : victims) {
      liar.log.append(new AuditRecord(victim.id(), c, "no answer in time").toNode(), liar.key);
      byte[] sig = liar.key.sign(new byte[] {1});
      liar.log.append(
          new AuditRecord(
                  victim.id(),
                  c,
                  "wrong bytes",
                  Optional.of(
                      new AuditEvidence(
                          c,
                          new byte[0],
                          AuditEvidence.BLOCK,
                          new byte[32],
                          liar.cluster.pinset().admittedBy(victim.id()),
                          sig)))
              .toNode(),
          liar.key);
    }
    // The others audit each accused pair themselves, and the victim passes.
    waitFor(
        "every other member audits the accused pairs",
        Duration.ofSeconds(30),
        () ->
            nodes.stream()
                .filter(n -> n != liar && n != victim)
                .allMatch(n -> n.cluster.auditStats().passed() >= victims.size()));
    gossip();
    for (Node n : nodes) {
      assertEquals(
          Map.of(), n.cluster.pinset().auditFailures(victim.id()), "as " + n.id() + " sees it");
      assertFalse(n.cluster.pinset().struckOut(victim.id()), "strikes 1, yet not struck out");
      for (Cid c : victims) {
        assertTrue(n.cluster.allocation(c).contains(victim.id()), c + " stays on the victim");
      }
    }
    assertTrue(victim.honest.pinned.containsAll(victims), "the victim keeps holding its pins");
  }
}
