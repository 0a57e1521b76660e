package dev.cria.tokenizer.spm.normalize;

import dev.cria.tokenizer.TokenizerFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * SentencePiece's {@code NormalizerSpec.precompiled_charsmap}: a Darts-clone double-array trie from UTF-8 byte
 * strings to replacement strings.
 *
 * <p>Blob layout (normalizer.cc, {@code DecodePrecompiledCharsMap}):
 * <pre>
 *   uint32 LE  trie_size                     bytes of the double array, a multiple of 4
 *   uint32 LE  units[trie_size / 4]          darts-clone units, see {@link DartsUnit}
 *   bytes      replacements                  NUL-terminated UTF-8 strings; a leaf's value is an offset in here
 * </pre>
 * An empty blob means "no rules" (the {@code identity} normalization).
 *
 * <p>Immutable and safe to share between threads; {@link #longestMatch} allocates nothing.
 */
public final class PrecompiledCharsMap {

    /** {@link #longestMatch} result when no key is a prefix of the input. */
    public static final long NO_MATCH = -1L;

    /**
     * SentencePiece reads at most this many prefix matches (Normalizer::kMaxTrieResultsSize) and takes the longest
     * of those; its builder refuses maps where a key has this many keys as prefixes.
     */
    static final int MAX_PREFIX_MATCHES = 32;

    private static final byte[] REPLACEMENT_CHAR = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};
    private static final PrecompiledCharsMap IDENTITY = new PrecompiledCharsMap(new int[0], new byte[0], new int[0]);

    private final int[] units;
    private final byte[] replacements;
    /** For every offset into {@link #replacements}, the index of the NUL that ends the string starting there. */
    private final int[] stringEnd;

    private PrecompiledCharsMap(int[] units, byte[] replacements, int[] stringEnd) {
        this.units = units;
        this.replacements = replacements;
        this.stringEnd = stringEnd;
    }

    /** Parses a blob whose origin is unknown; see {@link #parse(byte[], String)}. */
    public static PrecompiledCharsMap parse(byte[] blob) throws TokenizerFormatException {
        return parse(blob, "precompiled_charsmap");
    }

    /**
     * Parses and validates a blob. {@code source} names it in error messages (e.g. the model file and field).
     *
     * @throws TokenizerFormatException when the size header, the trie or a replacement offset is inconsistent;
     *     the message gives the byte offset inside the blob
     */
    public static PrecompiledCharsMap parse(byte[] blob, String source) throws TokenizerFormatException {
        if (blob.length == 0) {
            return IDENTITY;
        }
        if (blob.length < 4) {
            throw error(source, 0, "expected a 4-byte trie size, found only " + blob.length + " bytes");
        }
        long trieSize = Integer.toUnsignedLong(readIntLe(blob, 0));
        if (trieSize % 4 != 0) {
            throw error(source, 0, "trie size " + trieSize + " is not a multiple of 4 (darts units are 32-bit)");
        }
        if (trieSize == 0) {
            throw error(source, 0, "trie size is 0; a trie has at least its root unit");
        }
        if (4 + trieSize >= blob.length) {
            throw error(source, 0, "trie size " + trieSize + " leaves no room for replacement strings in a "
                    + blob.length + "-byte blob");
        }
        int unitCount = (int) (trieSize / 4);
        int[] units = new int[unitCount];
        for (int i = 0; i < unitCount; i++) {
            units[i] = readIntLe(blob, 4 + 4 * i);
        }
        int replacementsStart = 4 + (int) trieSize;
        byte[] replacements = Arrays.copyOfRange(blob, replacementsStart, blob.length);
        if (replacements[replacements.length - 1] != 0) {
            throw error(source, blob.length - 1, "expected the replacement strings to end with a NUL byte");
        }
        int root = units[0];
        if (DartsUnit.isLeaf(root) || DartsUnit.label(root) != 0 || DartsUnit.hasLeaf(root)) {
            throw error(source, 4, String.format("root unit 0x%08x is not a darts-clone root "
                    + "(expected label 0, no leaf)", root));
        }
        for (int i = 0; i < unitCount; i++) {
            int unit = units[i];
            if (DartsUnit.isLeaf(unit) && DartsUnit.value(unit) >= replacements.length) {
                throw error(source, 4 + 4L * i, "leaf unit " + i + " points at replacement offset "
                        + DartsUnit.value(unit) + ", outside the " + replacements.length + "-byte replacement table");
            }
        }
        int[] stringEnd = new int[replacements.length];
        int end = replacements.length - 1;
        for (int i = replacements.length - 1; i >= 0; i--) {
            if (replacements[i] == 0) {
                end = i;
            }
            stringEnd[i] = end;
        }
        return new PrecompiledCharsMap(units, replacements, stringEnd);
    }

    /** The map with no rules; {@link #longestMatch} never matches. */
    public static PrecompiledCharsMap identity() {
        return IDENTITY;
    }

    /** True for the map with no rules (an empty blob). */
    public boolean isIdentity() {
        return units.length == 0;
    }

    /**
     * Finds the longest key that is a prefix of {@code input[pos, end)}.
     *
     * <p>Walks the double array as darts-clone's {@code commonPrefixSearch} does and keeps the longest of the
     * first {@value #MAX_PREFIX_MATCHES} matches, as SentencePiece's {@code NormalizePrefix} does.
     *
     * @return {@link #NO_MATCH}, or the match packed as {@code (matchedLength << 32) | replacementOffset}; unpack
     *     with {@link #matchLength(long)} and {@link #replacementOffset(long)}
     */
    public long longestMatch(byte[] input, int pos, int end) {
        int[] array = units;
        if (array.length == 0) {
            return NO_MATCH;
        }
        long best = NO_MATCH;
        int matches = 0;
        int node = DartsUnit.offset(array[0]);
        for (int i = pos; i < end; i++) {
            int label = input[i] & 0xFF;
            node ^= label;
            if (node >= array.length) {
                break;
            }
            int unit = array[node];
            if (DartsUnit.label(unit) != label) {
                break;
            }
            node ^= DartsUnit.offset(unit);
            if (DartsUnit.hasLeaf(unit)) {
                if (node >= array.length) {
                    break;
                }
                if (matches++ < MAX_PREFIX_MATCHES) {
                    best = ((long) (i + 1 - pos) << 32) | DartsUnit.value(array[node]);
                }
            }
        }
        return best;
    }

    /** Bytes of input the match consumes. */
    public static int matchLength(long match) {
        return (int) (match >>> 32);
    }

    /** Offset of the replacement string in {@link #replacementBytes()}. */
    public static int replacementOffset(long match) {
        return (int) match;
    }

    /** Length in bytes (without the NUL) of the replacement string at {@code offset}. */
    public int replacementLength(int offset) {
        return stringEnd[offset] - offset;
    }

    /**
     * The replacement strings, NUL-terminated, shared with this object so callers copy without allocating.
     * Callers must not modify it.
     */
    public byte[] replacementBytes() {
        return replacements;
    }

    /**
     * Applies the rules alone, as SentencePiece's {@code NormalizePrefix} loop does with every whitespace option off
     * ({@code spm_normalize --remove_extra_whitespaces=false}): at each position the longest key is replaced; where
     * no key matches, one UTF-8 character is copied, and a malformed byte becomes U+FFFD and consumes one byte.
     */
    public byte[] apply(byte[] input, int pos, int end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - pos + 16);
        while (pos < end) {
            long match = longestMatch(input, pos, end);
            if (match != NO_MATCH) {
                int offset = replacementOffset(match);
                out.write(replacements, offset, replacementLength(offset));
                pos += matchLength(match);
                continue;
            }
            int length = validUtf8Length(input, pos, end);
            if (length == 0) {
                out.write(REPLACEMENT_CHAR, 0, REPLACEMENT_CHAR.length);
                pos++;
            } else {
                out.write(input, pos, length);
                pos += length;
            }
        }
        return out.toByteArray();
    }

    /** {@link #apply(byte[], int, int)} on a string's UTF-8 bytes. */
    public String apply(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return new String(apply(utf8, 0, utf8.length), StandardCharsets.UTF_8);
    }

    /**
     * Length of the well-formed UTF-8 character at {@code pos}, or 0 if malformed: shortest form only, no surrogates,
     * nothing above U+10FFFF (SentencePiece's {@code DecodeUTF8}).
     */
    static int validUtf8Length(byte[] s, int pos, int end) {
        int b0 = s[pos] & 0xFF;
        if (b0 < 0x80) {
            return 1;
        }
        int available = end - pos;
        if ((b0 & 0xE0) == 0xC0 && available >= 2 && isTrail(s[pos + 1])) {
            int cp = ((b0 & 0x1F) << 6) | (s[pos + 1] & 0x3F);
            return cp >= 0x80 ? 2 : 0;
        }
        if ((b0 & 0xF0) == 0xE0 && available >= 3 && isTrail(s[pos + 1]) && isTrail(s[pos + 2])) {
            int cp = ((b0 & 0x0F) << 12) | ((s[pos + 1] & 0x3F) << 6) | (s[pos + 2] & 0x3F);
            return cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF) ? 3 : 0;
        }
        if ((b0 & 0xF8) == 0xF0 && available >= 4 && isTrail(s[pos + 1]) && isTrail(s[pos + 2])
                && isTrail(s[pos + 3])) {
            int cp = ((b0 & 0x07) << 18) | ((s[pos + 1] & 0x3F) << 12) | ((s[pos + 2] & 0x3F) << 6)
                    | (s[pos + 3] & 0x3F);
            return cp >= 0x10000 && cp <= 0x10FFFF ? 4 : 0;
        }
        return 0;
    }

    private static boolean isTrail(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /** Number of 32-bit units in the double array. */
    public int unitCount() {
        return units.length;
    }

    private static int readIntLe(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static TokenizerFormatException error(String source, long offset, String what) {
        return new TokenizerFormatException(source + ": byte " + offset + ": " + what);
    }
}
