package dev.cria.tokenizer.shard;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A token shard mapped into memory (format: {@link TokenShardHeader}); ids are read straight from the mapping. The
 * header and the file size are checked when the shard opens; {@link #verifyIds()} checks every id against the
 * vocabulary. Reads are thread-safe; close the shard to unmap it.
 */
public final class TokenShard implements AutoCloseable {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final TokenShardHeader header;
    private final Arena arena;
    private final MemorySegment tokens;

    private TokenShard(Path file, TokenShardHeader header, Arena arena, MemorySegment tokens) {
        this.file = file;
        this.header = header;
        this.arena = arena;
        this.tokens = tokens;
    }

    /** Opens and maps {@code file}; a bad header or a size that disagrees with it is a {@link TokenShardFormatException}. */
    public static TokenShard open(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer head = ByteBuffer.allocate(TokenShardHeader.BYTES);
            while (head.hasRemaining()) {
                if (channel.read(head, head.position()) < 0) {
                    break;
                }
            }
            TokenShardHeader header = TokenShardHeader.decode(file, head, size);
            Arena arena = Arena.ofShared();
            try {
                MemorySegment data = channel.map(FileChannel.MapMode.READ_ONLY, TokenShardHeader.BYTES,
                        size - TokenShardHeader.BYTES, arena);
                return new TokenShard(file, header, arena, data);
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
        }
    }

    public Path file() {
        return file;
    }

    public TokenShardHeader header() {
        return header;
    }

    public long tokenCount() {
        return header.tokenCount();
    }

    /** The id at {@code index}. */
    public int token(long index) {
        return header.dtype() == TokenDType.UINT16
                ? Short.toUnsignedInt(tokens.get(U16, index * 2))
                : tokens.get(U32, index * 4);
    }

    /** Copies ids {@code [from, from + count)} into {@code dst[offset…]}. */
    public void read(long from, int[] dst, int offset, int count) {
        if (from < 0 || count < 0 || from + count > header.tokenCount()) {
            throw new IndexOutOfBoundsException(file + ": tokens [" + from + ", " + (from + count) + ") outside [0, " + header.tokenCount() + ")");
        }
        if (header.dtype() == TokenDType.UINT16) {
            for (int i = 0; i < count; i++) {
                dst[offset + i] = Short.toUnsignedInt(tokens.get(U16, (from + i) * 2));
            }
        } else {
            MemorySegment.copy(tokens, U32, from * 4, dst, offset, count);
        }
    }

    /** Checks that every id is below the vocabulary size; the error names the byte offset of the first that is not. */
    public void verifyIds() throws TokenShardFormatException {
        long vocab = header.vocabSize();
        for (long i = 0; i < header.tokenCount(); i++) {
            long id = Integer.toUnsignedLong(token(i));
            if (id >= vocab) {
                throw new TokenShardFormatException(file, TokenShardHeader.BYTES + i * header.dtype().bytes(),
                        "token " + i + " is id " + id + ", outside the vocabulary of " + vocab);
            }
        }
    }

    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return file + " (" + header.tokenCount() + " " + header.dtype() + " tokens, " + header.documentCount() + " documents)";
    }
}
