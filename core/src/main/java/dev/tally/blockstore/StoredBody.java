package dev.tally.blockstore;

import dev.tally.multiformats.Cid;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A block's body in a file ({@link BlockFiles}): {@code size} bytes of {@code file} from {@code
 * position}, checked when they were handed out.
 *
 * @param bytes the checked body, read-only, valid only until the next {@link BlockFiles#body} call
 *     (a reused buffer: parse it, never keep it)
 */
public record StoredBody(Cid cid, FileChannel file, long position, int size, ByteBuffer bytes) {}
