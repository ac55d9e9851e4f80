package dev.tally.cluster.audit;

import dev.tally.ipld.CodecException;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Varint;
import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code /tally/cluster/audit/1.0.0} wire format: uvarint-length-prefixed DAG-CBOR frames.
 * Requests are {@code {cluster, pin, block, nonce?}}; answers are {@code {block: bytes}}, {@code
 * {proof: bytes}} or {@code {error: string}}. Decoding is strict: exactly those fields, of those
 * kinds; the frame reader has already bounded the length.
 */
public final class AuditCodec {
  public static final String PROTOCOL = "/tally/cluster/audit/1.0.0";

  private static final Set<String> REQUEST = Set.of("cluster", "pin", "block", "nonce");

  private AuditCodec() {}

  /** SHA-256(nonce ‖ block): what a prover answers to a request with a nonce. */
  public static byte[] proof(byte[] nonce, byte[] block) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
    sha.update(nonce);
    return sha.digest(block);
  }

  static Buffer frame(IpldNode node) {
    byte[] body = DagCbor.encode(node);
    return Buffer.buffer(Varint.encodedLength(body.length) + body.length)
        .appendBytes(Varint.encode(body.length))
        .appendBytes(body);
  }

  public static Buffer encode(AuditRequest r) {
    IpldMap.Builder b =
        IpldNode.map().put("cluster", r.cluster()).put("pin", r.pin()).put("block", r.block());
    r.nonce().ifPresent(n -> b.put("nonce", n));
    return frame(b.build());
  }

  public static Buffer encode(AuditAnswer a) {
    IpldMap.Builder b = IpldNode.map();
    if (a instanceof AuditAnswer.BlockBytes bb) {
      b.put("block", bb.bytes());
    } else if (a instanceof AuditAnswer.Proof p) {
      b.put("proof", p.digest());
    } else if (a instanceof AuditAnswer.Refused r) {
      b.put("error", r.reason());
    }
    return frame(b.build());
  }

  /**
   * The request in one frame's body.
   *
   * @throws AuditException naming what is malformed
   */
  public static AuditRequest decodeRequest(byte[] body) {
    IpldMap m = map(body, "request");
    for (String k : m.keys()) {
      if (!REQUEST.contains(k)) {
        throw new AuditException("audit request has an unknown field \"" + k + "\"");
      }
    }
    try {
      Optional<byte[]> nonce = m.get("nonce").map(IpldNode::asBytes);
      return new AuditRequest(
          m.get("cluster").orElseThrow(() -> missing("cluster")).asLink(),
          m.get("pin").orElseThrow(() -> missing("pin")).asLink(),
          m.get("block").orElseThrow(() -> missing("block")).asLink(),
          nonce);
    } catch (IllegalStateException e) {
      throw new AuditException("audit request has a mistyped field: " + e.getMessage(), e);
    }
  }

  /**
   * The answer in one frame's body.
   *
   * @throws AuditException naming what is malformed
   */
  public static AuditAnswer decodeAnswer(byte[] body) {
    IpldMap m = map(body, "answer");
    if (m.size() != 1) {
      throw new AuditException("an audit answer holds exactly one of block, proof or error");
    }
    String k = m.keys().iterator().next();
    try {
      IpldNode v = m.get(k).orElseThrow();
      return switch (k) {
        case "block" -> new AuditAnswer.BlockBytes(v.asBytes());
        case "proof" -> new AuditAnswer.Proof(v.asBytes());
        case "error" -> new AuditAnswer.Refused(v.asString());
        default -> throw new AuditException("audit answer has an unknown field \"" + k + "\"");
      };
    } catch (IllegalStateException e) {
      throw new AuditException("audit answer has a mistyped field: " + e.getMessage(), e);
    }
  }

  private static IpldMap map(byte[] body, String what) {
    try {
      return DagCbor.decode(body).asMap();
    } catch (CodecException | IllegalStateException e) {
      throw new AuditException("audit " + what + " is not a DAG-CBOR map: " + e.getMessage(), e);
    }
  }

  private static AuditException missing(String field) {
    return new AuditException("audit request lacks \"" + field + "\"");
  }
}
