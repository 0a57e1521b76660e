package dev.cria.tokenizer.shard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes one token shard ({@link TokenShardHeader} for the format): documents go to a temporary file beside the
 * target, and {@link #commit()} writes the header, forces the file to disk and renames it onto the target. A
 * writer closed without a commit (a crash, an exception) deletes its temporary file, so a shard under its real name
 * is always complete.
 *
 * <p>Each document is written as {@code BOS ids… EOS}, leaving out a separator whose id is -1. LLaMA's tokenizer
 * puts BOS at the start of a sequence; with both separators a window that crosses a boundary sees where one
 * document ends and the next begins.
 */
public final class TokenShardWriter implements AutoCloseable {

    private static final int BUFFER_BYTES = 1 << 16;

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final TokenDType dtype;
    private final int vocabSize;
    private final int bosId;
    private final int eosId;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long tokens;
    private long documents;
    private boolean committed;
    private boolean closed;

    private TokenShardWriter(Path target, TokenDType dtype, int vocabSize, int bosId, int eosId) throws IOException {
        // Checks the arguments before any file exists.
        new TokenShardHeader(dtype, 0, 0, vocabSize, bosId, eosId);
        this.target = target;
        this.dtype = dtype;
        this.vocabSize = vocabSize;
        this.bosId = bosId;
        this.eosId = eosId;
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        this.temp = createTemp(dir, target.getFileName().toString());
        FileChannel opened = null;
        try {
            opened = FileChannel.open(temp, StandardOpenOption.WRITE);
            opened.position(TokenShardHeader.BYTES);
        } catch (IOException e) {
            if (opened != null) {
                opened.close();
            }
            Files.deleteIfExists(temp);
            throw e;
        }
        this.channel = opened;
    }

    /** A writer with the narrowest dtype for {@code vocabSize}; {@code bosId}/{@code eosId} -1 for none. */
    public static TokenShardWriter create(Path target, int vocabSize, int bosId, int eosId) throws IOException {
        return create(target, TokenDType.forVocabSize(vocabSize), vocabSize, bosId, eosId);
    }

    public static TokenShardWriter create(Path target, TokenDType dtype, int vocabSize, int bosId, int eosId) throws IOException {
        return new TokenShardWriter(target, dtype, vocabSize, bosId, eosId);
    }

    public Path target() {
        return target;
    }

    /** Tokens written so far, separators included. */
    public long tokenCount() {
        return tokens;
    }

    public long documentCount() {
        return documents;
    }

    /**
     * Appends one document with its separators.
     *
     * @throws IllegalArgumentException when an id is outside the vocabulary (nothing of the document is written)
     */
    public void addDocument(int[] ids, int offset, int length) throws IOException {
        ensureOpen();
        for (int i = offset; i < offset + length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new IllegalArgumentException(target + ": document " + documents + ", token " + (i - offset) + ": id " + ids[i]
                        + " is outside the vocabulary of " + vocabSize);
            }
        }
        if (bosId >= 0) {
            put(bosId);
        }
        for (int i = offset; i < offset + length; i++) {
            put(ids[i]);
        }
        if (eosId >= 0) {
            put(eosId);
        }
        documents++;
    }

    public void addDocument(int[] ids) throws IOException {
        addDocument(ids, 0, ids.length);
    }

    private void put(int id) throws IOException {
        if (buffer.remaining() < dtype.bytes()) {
            drain();
        }
        if (dtype == TokenDType.UINT16) {
            buffer.putShort((short) id);
        } else {
            buffer.putInt(id);
        }
        tokens++;
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /** Writes the header, forces the data to disk and renames the file onto the target; returns the header. */
    public TokenShardHeader commit() throws IOException {
        ensureOpen();
        drain();
        TokenShardHeader header = new TokenShardHeader(dtype, tokens, documents, vocabSize, bosId, eosId);
        ByteBuffer h = header.encode();
        long at = 0;
        while (h.hasRemaining()) {
            at += channel.write(h, at);
        }
        channel.force(true);
        channel.close();
        closed = true;
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        committed = true;
        return header;
    }

    /** Without a commit, deletes the temporary file: the target stays as it was. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            channel.close();
        }
        if (!committed) {
            Files.deleteIfExists(temp);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(target + ": the shard writer is already " + (committed ? "committed" : "closed"));
        }
    }

    private static Path createTemp(Path dir, String name) throws IOException {
        while (true) {
            Path temp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException taken) {
                // Another writer drew the same name; draw again.
            }
        }
    }
}
