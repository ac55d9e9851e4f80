package dev.tally.multiformats;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A composable network address such as {@code /ip4/1.2.3.4/tcp/4001/p2p/12D3Koo…}. Immutable;
 * equality follows the binary form; {@link #toString()} is the canonical text. Parsing and decoding
 * reject empty addresses, but {@link #decapsulate} may return the empty address.
 */
public final class Multiaddr {
  /** The address with no components (only produced by {@link #decapsulate}). */
  public static final Multiaddr EMPTY = new Multiaddr(new byte[0], List.of());

  /**
   * One protocol and its canonical value ({@code ""} for protocols without a value).
   *
   * @param protocol the protocol
   * @param value the value in canonical text form
   */
  public record Component(MultiaddrProtocol protocol, String value) {
    public Component {
      Objects.requireNonNull(protocol, "protocol");
      Objects.requireNonNull(value, "value");
      value = protocol.valueToText(protocol.valueToBytes(value));
    }

    /** The component alone, e.g. {@code /tcp/4001}. */
    @Override
    public String toString() {
      return protocol.hasValue()
          ? "/" + protocol.protocolName() + "/" + value
          : "/" + protocol.protocolName();
    }
  }

  private final byte[] bytes;
  private final List<Component> components;
  private String text;

  private Multiaddr(byte[] bytes, List<Component> components) {
    this.bytes = bytes;
    this.components = components;
  }

  /** Parses text such as {@code /dns4/example.com/tcp/443/wss}; a trailing '/' is allowed. */
  public static Multiaddr parse(String text) {
    Objects.requireNonNull(text, "text");
    if (!text.startsWith("/")) {
      throw new MultiaddrException(
          "multiaddr '" + abbreviate(text) + "' must start with '/', e.g. /ip4/127.0.0.1/tcp/4001");
    }
    int end = text.length();
    while (end > 0 && text.charAt(end - 1) == '/') {
      end--;
    }
    if (end == 0) {
      throw new MultiaddrException("empty multiaddr '" + text + "'");
    }
    String[] parts = text.substring(1, end).split("/", -1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    List<Component> comps = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      String name = parts[i];
      MultiaddrProtocol p =
          MultiaddrProtocol.byName(name)
              .orElseThrow(
                  () ->
                      new MultiaddrException(
                          name.isEmpty()
                              ? "empty protocol name in multiaddr '" + abbreviate(text) + "'"
                              : "unknown multiaddr protocol '"
                                  + abbreviate(name)
                                  + "' in '"
                                  + abbreviate(text)
                                  + "'"));
      byte[] value = new byte[0];
      if (p.hasValue()) {
        if (++i >= parts.length) {
          throw new MultiaddrException(
              "/" + p.protocolName() + " needs a value in multiaddr '" + abbreviate(text) + "'");
        }
        value = p.valueToBytes(parts[i]);
      }
      appendComponent(out, p, value);
      comps.add(new Component(p, p.valueToText(value)));
    }
    return new Multiaddr(out.toByteArray(), Collections.unmodifiableList(comps));
  }

  /** Decodes the binary form; every byte must belong to a component. */
  public static Multiaddr decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length == 0) {
      throw new MultiaddrException("empty multiaddr");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    List<Component> comps = new ArrayList<>();
    while (buf.hasRemaining()) {
      int at = buf.position();
      long code;
      try {
        code = Varint.read(buf);
      } catch (VarintException e) {
        throw new MultiaddrException(
            "malformed protocol code at offset " + at + ": " + e.getMessage(), e);
      }
      MultiaddrProtocol p =
          MultiaddrProtocol.byCode(code)
              .orElseThrow(
                  () ->
                      new MultiaddrException(
                          "unsupported multiaddr protocol "
                              + Multicodec.describe(code)
                              + " at offset "
                              + at));
      int size = p.size();
      if (size < 0) {
        long len;
        try {
          len = Varint.read(buf);
        } catch (VarintException e) {
          throw new MultiaddrException(
              "malformed /" + p.protocolName() + " value length: " + e.getMessage(), e);
        }
        if (len > buf.remaining()) {
          throw new MultiaddrException(
              "truncated /"
                  + p.protocolName()
                  + " value: length "
                  + len
                  + " but only "
                  + buf.remaining()
                  + " bytes remain");
        }
        size = (int) len;
      } else if (size > buf.remaining()) {
        throw new MultiaddrException(
            "truncated /"
                + p.protocolName()
                + " value: needs "
                + size
                + " bytes, only "
                + buf.remaining()
                + " remain");
      }
      byte[] value = new byte[size];
      buf.get(value);
      comps.add(new Component(p, p.valueToText(value)));
    }
    return new Multiaddr(bytes.clone(), Collections.unmodifiableList(comps));
  }

  /** Builds an address from components (each already validated by its constructor). */
  public static Multiaddr of(List<Component> components) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Component c : components) {
      appendComponent(out, c.protocol(), c.protocol().valueToBytes(c.value()));
    }
    return new Multiaddr(out.toByteArray(), List.copyOf(components));
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public List<Component> components() {
    return components;
  }

  public boolean isEmpty() {
    return components.isEmpty();
  }

  /** This address followed by {@code inner}, e.g. a transport address plus {@code /p2p/…}. */
  public Multiaddr encapsulate(Multiaddr inner) {
    List<Component> all = new ArrayList<>(components);
    all.addAll(inner.components);
    byte[] b = Arrays.copyOf(bytes, bytes.length + inner.bytes.length);
    System.arraycopy(inner.bytes, 0, b, bytes.length, inner.bytes.length);
    return new Multiaddr(b, Collections.unmodifiableList(all));
  }

  public Multiaddr encapsulate(String inner) {
    return encapsulate(parse(inner));
  }

  /**
   * Removes the last occurrence of {@code suffix} and everything after it; returns this address
   * unchanged when {@code suffix} does not occur.
   */
  public Multiaddr decapsulate(Multiaddr suffix) {
    int n = suffix.components.size();
    if (n == 0) {
      return this;
    }
    for (int i = components.size() - n; i >= 0; i--) {
      if (components.subList(i, i + n).equals(suffix.components)) {
        return of(components.subList(0, i));
      }
    }
    return this;
  }

  /** Removes the last component of protocol {@code p} and everything after it. */
  public Multiaddr decapsulate(MultiaddrProtocol p) {
    for (int i = components.size() - 1; i >= 0; i--) {
      if (components.get(i).protocol() == p) {
        return of(components.subList(0, i));
      }
    }
    return this;
  }

  /** Value of the first component of protocol {@code p}. */
  public Optional<String> valueOf(MultiaddrProtocol p) {
    for (Component c : components) {
      if (c.protocol() == p) {
        return Optional.of(c.value());
      }
    }
    return Optional.empty();
  }

  /** The peer ID of the last {@code /p2p} component, as a multihash. */
  public Optional<Multihash> peerId() {
    for (int i = components.size() - 1; i >= 0; i--) {
      Component c = components.get(i);
      if (c.protocol() == MultiaddrProtocol.P2P) {
        return Optional.of(Multihash.decode(MultiaddrProtocol.P2P.valueToBytes(c.value())));
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multiaddr m && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    String t = text;
    if (t == null) {
      StringBuilder sb = new StringBuilder();
      for (Component c : components) {
        sb.append(c);
      }
      t = sb.toString();
      text = t;
    }
    return t;
  }

  private static void appendComponent(ByteArrayOutputStream out, MultiaddrProtocol p, byte[] v) {
    byte[] tmp = new byte[Varint.MAX_LENGTH];
    out.write(tmp, 0, Varint.write(p.code(), tmp, 0));
    if (p.size() < 0) {
      out.write(tmp, 0, Varint.write(v.length, tmp, 0));
    }
    out.write(v, 0, v.length);
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }
}
