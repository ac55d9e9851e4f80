package dev.tally.cluster.audit;

import dev.tally.ipld.CodecException;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Varint;
import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code /tally/cluster/audit/2.0.0} wire format: uvarint-length-prefixed DAG-CBOR frames.
 * Requests are {@code {cluster, pin, block, nonce?}}; answers are {@code {block: bytes, member,
 * sig}}, {@code {proof: bytes, member, sig}}, {@code {missing: true, member, sig}} or {@code
 * {error: string}} (version 2 added the signatures, ADR 026). Decoding is strict: exactly those
 * fields, of those kinds; the frame reader has already bounded the length.
 */
public final class AuditCodec {
  public static final String PROTOCOL = "/tally/cluster/audit/2.0.0";

  /** The refusal of a prover serving its limit of audit streams (not a failure: ADR 026). */
  public static final String BUSY = "busy: too many audits in progress";

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

  /** SHA-256 of {@code bytes}: what a prover signs for a block it sends. */
  public static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
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
      b.put("block", bb.bytes()).put("member", bb.member()).put("sig", bb.sig());
    } else if (a instanceof AuditAnswer.Proof p) {
      b.put("proof", p.digest()).put("member", p.member()).put("sig", p.sig());
    } else if (a instanceof AuditAnswer.Missing m) {
      b.put("missing", true).put("member", m.member()).put("sig", m.sig());
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
    try {
      if (m.containsKey("error")) {
        only(m, Set.of("error"));
        return new AuditAnswer.Refused(m.get("error").orElseThrow().asString());
      }
      String kind =
          m.keys().stream()
              .filter(ANSWERS::contains)
              .findFirst()
              .orElseThrow(
                  () ->
                      new AuditException(
                          "an audit answer holds one of block, proof, missing or error"));
      only(m, Set.of(kind, "member", "sig"));
      Cid member = m.get("member").orElseThrow(() -> missingField("member")).asLink();
      byte[] sig = m.get("sig").orElseThrow(() -> missingField("sig")).asBytes();
      IpldNode v = m.get(kind).orElseThrow();
      return switch (kind) {
        case "block" -> new AuditAnswer.BlockBytes(v.asBytes(), member, sig);
        case "proof" -> new AuditAnswer.Proof(v.asBytes(), member, sig);
        default -> {
          if (!v.asBool()) {
            throw new AuditException("an audit answer's \"missing\" is true when present");
          }
          yield new AuditAnswer.Missing(member, sig);
        }
      };
    } catch (IllegalStateException e) {
      throw new AuditException("audit answer has a mistyped field: " + e.getMessage(), e);
    }
  }

  private static final Set<String> ANSWERS = Set.of("block", "proof", "missing");

  private static void only(IpldMap m, Set<String> fields) {
    for (String k : m.keys()) {
      if (!fields.contains(k)) {
        throw new AuditException("audit answer has an unknown field \"" + k + "\"");
      }
    }
  }

  private static AuditException missingField(String field) {
    return new AuditException("audit answer lacks \"" + field + "\"");
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
