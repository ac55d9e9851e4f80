package dev.tally.net.host;

import dev.tally.crypto.PeerId;
import dev.tally.crypto.PrivateKey;
import dev.tally.crypto.PublicKey;
import dev.tally.net.Duplex;
import dev.tally.net.multistream.PrefixedDuplex;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * A test-only, unencrypted "security" protocol: each side sends its public key (one length byte,
 * then the protobuf) and trusts the other's. It lets the host pipeline be tested without Noise.
 */
final class KeyExchangeSecurity implements SecurityProtocol {
  private final PrivateKey key;

  KeyExchangeSecurity(PrivateKey key) {
    this.key = key;
  }

  @Override
  public String id() {
    return "/tally-test/key-exchange/1.0.0";
  }

  @Override
  public Future<SecureConnection> secureOutbound(Duplex insecure, Optional<PeerId> expected) {
    return exchange(insecure);
  }

  @Override
  public Future<SecureConnection> secureInbound(Duplex insecure) {
    return exchange(insecure);
  }

  private Future<SecureConnection> exchange(Duplex insecure) {
    byte[] mine = key.publicKey().marshal();
    Promise<SecureConnection> result = Promise.promise();
    Buffer acc = Buffer.buffer();
    insecure.handler(
        b -> {
          if (result.future().isComplete()) {
            return;
          }
          acc.appendBuffer(b);
          if (acc.length() > 0 && acc.length() >= 1 + acc.getUnsignedByte(0)) {
            int len = acc.getUnsignedByte(0);
            PublicKey theirs = PublicKey.unmarshal(acc.getBytes(1, 1 + len));
            Buffer rest = acc.slice(1 + len, acc.length()).copy();
            insecure.handler(null);
            result.complete(
                new SecureConnection(
                    new PrefixedDuplex(Vertx.currentContext(), insecure, rest), theirs.peerId()));
          }
        });
    insecure.resume();
    insecure.write(Buffer.buffer().appendByte((byte) mine.length).appendBytes(mine));
    return result.future();
  }
}
