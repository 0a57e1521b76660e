package dev.cria.tokenizer.spm.normalize;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Compiles string-to-string rules into SentencePiece's {@code precompiled_charsmap} blob (layout in
 * {@link PrecompiledCharsMap}), the job of SentencePiece's {@code Builder::CompileCharsMap}.
 *
 * <p>Identical replacement strings are stored once. The trie is this project's own double-array builder
 * ({@link DoubleArrayBuilder}); its bytes differ from darts-clone's, but SentencePiece reads it with the same
 * lookups and gets the same answers.
 */
public final class CharsMapBuilder {

    private CharsMapBuilder() {
    }

    /**
     * Compiles {@code rules} (source sequence to replacement, both as strings) into a blob. No rules give an empty
     * blob, which SentencePiece treats as the {@code identity} normalization.
     *
     * @throws IllegalArgumentException when a source is empty, a string holds U+0000 or an unpaired surrogate
     *     (neither can be stored as NUL-terminated UTF-8), or when some source has 32 or more sources as prefixes,
     *     itself included (SentencePiece's limit)
     */
    public static byte[] build(Map<String, String> rules) {
        if (rules.isEmpty()) {
            return new byte[0];
        }
        Rule[] sorted = new Rule[rules.size()];
        Map<String, byte[]> distinctReplacements = new HashMap<>();
        int n = 0;
        for (Map.Entry<String, String> rule : rules.entrySet()) {
            String source = rule.getKey();
            if (source.isEmpty()) {
                throw new IllegalArgumentException("a rule has an empty source");
            }
            sorted[n++] = new Rule(utf8(source, source, "source"), rule.getValue());
            if (!distinctReplacements.containsKey(rule.getValue())) {
                distinctReplacements.put(rule.getValue(), utf8(rule.getValue(), source, "replacement"));
            }
        }
        // UTF-8 byte order is code point order (String order differs above U+FFFF); the trie needs it.
        Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(a.source, b.source));
        byte[][] replacementBytes = distinctReplacements.values().toArray(new byte[0][]);
        Arrays.sort(replacementBytes, Arrays::compareUnsigned);
        Map<String, Integer> replacementOffsets = new HashMap<>(replacementBytes.length * 2);
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        for (byte[] replacement : replacementBytes) {
            replacementOffsets.put(new String(replacement, StandardCharsets.UTF_8), strings.size());
            strings.writeBytes(replacement);
            strings.write(0);
        }
        byte[][] keys = new byte[sorted.length][];
        int[] values = new int[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            keys[i] = sorted[i].source;
            values[i] = replacementOffsets.get(sorted[i].replacement);
        }
        checkPrefixDepth(keys);
        int[] units = DoubleArrayBuilder.build(keys, values);

        ByteArrayOutputStream blob = new ByteArrayOutputStream(4 + 4 * units.length + strings.size());
        writeIntLe(blob, 4 * units.length);
        for (int unit : units) {
            writeIntLe(blob, unit);
        }
        blob.writeBytes(strings.toByteArray());
        return blob.toByteArray();
    }

    /**
     * SentencePiece reads at most 32 prefix matches per position, and its builder rejects rules that could produce
     * that many; so does this one.
     */
    private static void checkPrefixDepth(byte[][] sortedKeys) {
        // The keys that are prefixes of the current key form a chain; in sorted order it behaves as a stack.
        byte[][] chain = new byte[PrecompiledCharsMap.MAX_PREFIX_MATCHES][];
        int depth = 0;
        for (byte[] key : sortedKeys) {
            while (depth > 0 && !isPrefix(chain[depth - 1], key)) {
                depth--;
            }
            if (depth + 1 >= PrecompiledCharsMap.MAX_PREFIX_MATCHES) {
                throw new IllegalArgumentException("source " + describe(new String(key, StandardCharsets.UTF_8))
                        + " has " + (depth + 1) + " sources as prefixes (itself included); SentencePiece allows "
                        + "fewer than " + PrecompiledCharsMap.MAX_PREFIX_MATCHES);
            }
            chain[depth++] = key;
        }
    }

    private static boolean isPrefix(byte[] prefix, byte[] key) {
        return prefix.length <= key.length && Arrays.equals(prefix, 0, prefix.length, key, 0, prefix.length);
    }

    /** UTF-8 of {@code text}, which is the {@code part} ("source" or "replacement") of the rule for {@code source}. */
    private static byte[] utf8(String text, String source, String part) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException("the " + part + " of the rule for " + describe(source)
                        + " holds U+0000 at char " + i + "; NUL-terminated storage cannot hold it");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("the " + part + " of the rule for " + describe(source)
                        + " holds an unpaired surrogate at char " + i);
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private record Rule(byte[] source, String replacement) {
    }

    /** A rule's source as code points, e.g. {@code U+0041 U+0301}. */
    static String describe(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> out.append(out.isEmpty() ? "" : " ").append(String.format("U+%04X", cp)));
        return out.toString();
    }

    private static void writeIntLe(ByteArrayOutputStream out, int value) {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
    }
}
