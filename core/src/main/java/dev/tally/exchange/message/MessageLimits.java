package dev.tally.exchange.message;

/**
 * Limits every Bitswap message is checked against before it is decoded or after it is built.
 *
 * @param maxMessageSize largest framed protobuf, in bytes (boxo: 4 MiB)
 * @param maxBlockSize largest block, in bytes (2 MiB, as boxo and Kubo)
 * @param maxCidLength longest binary CID accepted in a want or presence; longer ones refuse the
 *     whole message (a sha2-512 CIDv1 is 70 bytes; identity CIDs may be longer)
 */
public record MessageLimits(int maxMessageSize, int maxBlockSize, int maxCidLength) {
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;
  public static final int DEFAULT_MAX_BLOCK_SIZE = 2 * 1024 * 1024;
  public static final int DEFAULT_MAX_CID_LENGTH = 256;

  /**
   * The largest message body other implementations read: boxo's {@code network.MessageSizeMax} and
   * {@code @helia/bitswap}'s {@code maxIncomingMessageSize} are both 4 MiB. Messages we send stay
   * within it (and within our own {@code maxMessageSize}), whatever our receive limit is.
   */
  public static final int PEER_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

  public MessageLimits {
    if (maxMessageSize < 1024 || maxBlockSize < 1 || maxCidLength < 34) {
      throw new IllegalArgumentException(
          "message limits too small: message "
              + maxMessageSize
              + ", block "
              + maxBlockSize
              + ", CID "
              + maxCidLength);
    }
  }

  public static MessageLimits defaults() {
    return new MessageLimits(
        DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_BLOCK_SIZE, DEFAULT_MAX_CID_LENGTH);
  }
}
