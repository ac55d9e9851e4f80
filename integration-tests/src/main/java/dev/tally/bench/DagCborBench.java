package dev.tally.bench;

import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DAG-CBOR encode and decode of a lending record of about 1 KiB: the shape of the blocks the
 * lending log writes (strings, ints, two CID links, nested maps, a list, a signature's bytes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class DagCborBench {
  private IpldNode record;
  private byte[] encoded;

  @Setup
  public void setUp() {
    record = lendingRecord();
    encoded = DagCbor.encode(record);
    // A benchmark of a codec that does not round-trip would measure the wrong thing.
    if (!DagCbor.decode(encoded).equals(record)) {
      throw new IllegalStateException("dag-cbor does not round-trip the benchmark record");
    }
  }

  @Benchmark
  public byte[] encode() {
    return DagCbor.encode(record);
  }

  @Benchmark
  public IpldNode decode() {
    return DagCbor.decode(encoded);
  }

  static IpldNode lendingRecord() {
    List<IpldNode> schedule = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      schedule.add(
          IpldNode.map()
              .put("due", 1_767_225_600L + i * 2_592_000L)
              .put("principal", 41_667L)
              .put("interest", 885L - i * 120L)
              .put("paid", false)
              .build());
    }
    return IpldNode.map()
        .put("type", "tally/loan")
        .put("version", 1L)
        .put("id", "loan-2026-11-000123")
        .put("prev", link("previous entry of the log"))
        .put("collateral", link("appraisal document"))
        .put(
            "lender",
            IpldNode.map()
                .put("name", "Cooperative Credit Union of Lisbon")
                .put("did", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
                .put("account", "PT50 0002 0123 1234 5678 9015 4")
                .build())
        .put(
            "borrower",
            IpldNode.map()
                .put("name", "Ana Sofia Martins")
                .put("did", "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp")
                .put("country", "PT")
                .build())
        .put("principal", IpldNode.map().put("amount", 250_000L).put("currency", "EUR").build())
        .put("rateBps", 425L)
        .put("dayCount", "ACT/365F")
        .put("schedule", IpldNode.list(schedule))
        .put(
            "terms",
            IpldNode.map()
                .put("lateFeeBps", 200L)
                .put("graceDays", 5L)
                .put("prepaymentAllowed", true)
                .put("governingLaw", "Portuguese law, courts of Lisbon")
                .build())
        .put("createdAt", 1_764_072_000L)
        .put("memo", "Working-capital loan for a bakery's second oven, six monthly payments.")
        .put("signature", BenchData.randomBytes(64, new SplittableRandom(7)))
        .build();
  }

  private static Cid link(String content) {
    return Cid.v1(Multicodec.DAG_CBOR, Multihash.sha256(content.getBytes(StandardCharsets.UTF_8)));
  }
}
