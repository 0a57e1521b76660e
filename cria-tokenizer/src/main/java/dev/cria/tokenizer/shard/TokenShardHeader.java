package dev.cria.tokenizer.shard;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The 64-byte header at the start of every token shard (all integers little-endian):
 * <pre>
 * offset size field
 *  0      8   magic "CRIATOKS"
 *  8      4   version, 1
 * 12      4   dtype: bytes per token, 2 (uint16) or 4 (uint32)
 * 16      8   token count (BOS and EOS included)
 * 24      8   document count
 * 32      4   vocabulary size: every id is below it
 * 36      4   BOS id written before each document, or -1 for none
 * 40      4   EOS id written after each document, or -1 for none
 * 44     20   zero
 * 64      …   the tokens, token count × dtype bytes, then the end of the file
 * </pre>
 *
 * @param dtype how ids are stored
 * @param tokenCount tokens in the shard, separators included
 * @param documentCount documents in the shard
 * @param vocabSize every id is in {@code [0, vocabSize)}
 * @param bosId the id before each document, or -1
 * @param eosId the id after each document, or -1
 */
public record TokenShardHeader(TokenDType dtype, long tokenCount, long documentCount, int vocabSize, int bosId, int eosId) {

    public static final int BYTES = 64;
    public static final int VERSION = 1;
    static final byte[] MAGIC = "CRIATOKS".getBytes(StandardCharsets.US_ASCII);

    public TokenShardHeader {
        if (tokenCount < 0 || documentCount < 0) {
            throw new IllegalArgumentException("negative count: " + tokenCount + " tokens, " + documentCount + " documents");
        }
        if (vocabSize <= 0 || vocabSize > dtype.maxVocabSize()) {
            throw new IllegalArgumentException("vocabulary size " + vocabSize + " does not fit " + dtype + " ids");
        }
        if (bosId < -1 || bosId >= vocabSize || eosId < -1 || eosId >= vocabSize) {
            throw new IllegalArgumentException("BOS " + bosId + " / EOS " + eosId + " outside the vocabulary of " + vocabSize);
        }
    }

    /** Bytes of the whole file: header plus tokens. */
    public long fileBytes() {
        return BYTES + tokenCount * dtype.bytes();
    }

    ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC);
        b.putInt(VERSION);
        b.putInt(dtype.bytes());
        b.putLong(tokenCount);
        b.putLong(documentCount);
        b.putInt(vocabSize);
        b.putInt(bosId);
        b.putInt(eosId);
        return b.position(BYTES).flip();
    }

    /** Parses and checks a header; {@code fileBytes} is the size of the whole file. */
    static TokenShardHeader decode(Path file, ByteBuffer b, long fileBytes) throws TokenShardFormatException {
        if (fileBytes < BYTES) {
            throw new TokenShardFormatException(file, fileBytes, "truncated header: the file has " + fileBytes
                    + " bytes, a token shard starts with a " + BYTES + "-byte header");
        }
        b.order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        b.get(0, magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new TokenShardFormatException(file, 0, "bad magic " + printable(magic) + ", expected \"CRIATOKS\" (not a Cria token shard)");
        }
        int version = b.getInt(8);
        if (version != VERSION) {
            throw new TokenShardFormatException(file, 8, "unsupported version " + Integer.toUnsignedString(version) + ", expected " + VERSION);
        }
        int code = b.getInt(12);
        TokenDType dtype = TokenDType.ofCode(Integer.toUnsignedLong(code));
        if (dtype == null) {
            throw new TokenShardFormatException(file, 12, "bad dtype " + Integer.toUnsignedString(code)
                    + ", expected 2 (uint16) or 4 (uint32) bytes per token");
        }
        long tokens = b.getLong(16);
        long documents = b.getLong(24);
        if (tokens < 0 || tokens > (Long.MAX_VALUE - BYTES) / dtype.bytes()) {
            throw new TokenShardFormatException(file, 16, "bad token count " + Long.toUnsignedString(tokens));
        }
        if (documents < 0) {
            throw new TokenShardFormatException(file, 24, "bad document count " + Long.toUnsignedString(documents));
        }
        long vocab = Integer.toUnsignedLong(b.getInt(32));
        if (vocab == 0 || vocab > dtype.maxVocabSize() || vocab > Integer.MAX_VALUE) {
            throw new TokenShardFormatException(file, 32, "bad vocabulary size " + vocab + " for " + dtype + " ids");
        }
        int bos = b.getInt(36);
        if (bos < -1 || bos >= vocab) {
            throw new TokenShardFormatException(file, 36, "BOS id " + bos + " outside the vocabulary of " + vocab);
        }
        int eos = b.getInt(40);
        if (eos < -1 || eos >= vocab) {
            throw new TokenShardFormatException(file, 40, "EOS id " + eos + " outside the vocabulary of " + vocab);
        }
        TokenShardHeader h = new TokenShardHeader(dtype, tokens, documents, (int) vocab, bos, eos);
        if (fileBytes != h.fileBytes()) {
            throw new TokenShardFormatException(file, Math.min(fileBytes, h.fileBytes()), (fileBytes < h.fileBytes() ? "truncated" : "trailing bytes")
                    + ": the header says " + tokens + " " + dtype + " tokens, " + h.fileBytes() + " bytes in all, the file has " + fileBytes);
        }
        return h;
    }

    private static String printable(byte[] bytes) {
        StringBuilder s = new StringBuilder("\"");
        for (byte x : bytes) {
            s.append(x >= 0x20 && x < 0x7f ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xff));
        }
        return s.append('"').toString();
    }
}
