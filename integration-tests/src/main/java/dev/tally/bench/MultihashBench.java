package dev.tally.bench;

import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * The sha2-256 multihash of 1 MiB next to a bare JDK SHA-256 of the same bytes: the second is the
 * anchor, so the difference between the two scores is what the multihash wrapper costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class MultihashBench {
  static final int SIZE = 1 << 20;

  private byte[] data;
  private MessageDigest sha256;

  @Setup
  public void setUp() throws NoSuchAlgorithmException {
    data = BenchData.randomBytes(SIZE, new SplittableRandom(1));
    sha256 = MessageDigest.getInstance("SHA-256");
  }

  @Benchmark
  public Multihash multihashSha256() {
    return Multihash.sum(Multicodec.SHA2_256, data);
  }

  /** The anchor: one reused JDK digest, no multihash framing. */
  @Benchmark
  public byte[] jdkSha256Anchor() {
    return sha256.digest(data);
  }
}
