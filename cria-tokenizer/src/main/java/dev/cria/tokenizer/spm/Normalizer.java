package dev.cria.tokenizer.spm;

import java.nio.charset.StandardCharsets;

/**
 * SentencePiece's text normalizer (normalizer.cc), byte for byte.
 *
 * <p>The input is walked one prefix at a time: a user-defined symbol is kept as is; otherwise the longest rule of
 * the precompiled character map applies; otherwise one UTF-8 character is copied, and a malformed byte becomes
 * U+FFFD while consuming exactly one byte. Then, by the spec: leading, trailing and repeated spaces are removed
 * ({@code remove_extra_whitespaces}), spaces become {@code ▁} ({@code escape_whitespaces}) and one {@code ▁} is
 * prepended ({@code add_dummy_prefix}; appended instead when {@code treat_whitespace_as_suffix}). Empty input
 * stays empty: no dummy prefix.
 */
public final class Normalizer {
    /** A precompiled character map: longest-match rewriting of UTF-8 prefixes. */
    interface CharsMap {
        /**
         * Matches the longest rule at {@code pos}: returns the matched input length (0 when no rule matches) and
         * stores the replacement's offset and length into {@link #replacements()} in {@code out[0]} and {@code out[1]}.
         */
        int match(byte[] s, int pos, int end, int[] out);

        byte[] replacements();
    }

    private static final byte SPACE = ' ';

    private final CharsMap charsMap;
    private final PrefixMatcher userDefined;
    private final boolean addDummyPrefix;
    private final boolean removeExtraWhitespaces;
    private final boolean escapeWhitespaces;
    private final boolean treatWhitespaceAsSuffix;

    Normalizer(NormalizerSpec spec, boolean treatWhitespaceAsSuffix, CharsMap charsMap, PrefixMatcher userDefined) {
        this.charsMap = charsMap;
        this.userDefined = userDefined;
        this.addDummyPrefix = spec.addDummyPrefix();
        this.removeExtraWhitespaces = spec.removeExtraWhitespaces();
        this.escapeWhitespaces = spec.escapeWhitespaces();
        this.treatWhitespaceAsSuffix = treatWhitespaceAsSuffix;
    }

    /** Per-call scratch: where the current prefix's normalized bytes live. */
    static final class Scratch {
        final int[] match = new int[2];
        byte[] src;
        int srcOff;
        int srcLen;
        int consumed;
    }

    /** Normalizes {@code in[off, off+len)} into {@code out} (cleared first). */
    void normalize(byte[] in, int off, int len, GrowableBytes out, Scratch t) {
        out.clear();
        if (len == 0) {
            return;
        }
        int pos = off;
        int end = off + len;
        if (removeExtraWhitespaces) {
            while (pos < end) {
                prefix(in, pos, end, t);
                if (!(t.srcLen == 1 && t.src[t.srcOff] == SPACE)) {
                    break;
                }
                pos += t.consumed;
            }
        }
        if (pos == end) {
            return;
        }
        if (!treatWhitespaceAsSuffix && addDummyPrefix) {
            addSpace(out);
        }
        boolean isPrevSpace = removeExtraWhitespaces;
        while (pos < end) {
            prefix(in, pos, end, t);
            int s = t.srcOff;
            int e = t.srcOff + t.srcLen;
            byte[] src = t.src;
            if (isPrevSpace && removeExtraWhitespaces) {
                while (s < e && src[s] == SPACE) {
                    s++;
                }
            }
            if (s < e) {
                out.ensure((e - s) * 3);
                for (int i = s; i < e; i++) {
                    byte b = src[i];
                    if (escapeWhitespaces && b == SPACE) {
                        out.data[out.length++] = Utf8.SPACE_SYMBOL[0];
                        out.data[out.length++] = Utf8.SPACE_SYMBOL[1];
                        out.data[out.length++] = Utf8.SPACE_SYMBOL[2];
                    } else {
                        out.data[out.length++] = b;
                    }
                }
                isPrevSpace = src[e - 1] == SPACE;
            }
            pos += t.consumed;
            if (!removeExtraWhitespaces) {
                isPrevSpace = false;
            }
        }
        if (removeExtraWhitespaces) {
            byte[] space = escapeWhitespaces ? Utf8.SPACE_SYMBOL : new byte[] {SPACE};
            while (out.endsWith(space)) {
                out.length -= space.length;
            }
        }
        if (treatWhitespaceAsSuffix && addDummyPrefix) {
            addSpace(out);
        }
    }

    /**
     * The normalizer a model with these specs applies, for the trainer and tools. A non-empty precompiled
     * charsmap in the spec is used as is.
     */
    public static Normalizer of(NormalizerSpec spec, TrainerSpec trainer) throws dev.cria.tokenizer.TokenizerFormatException {
        return new Normalizer(spec, trainer.treatWhitespaceAsSuffix(), CharsMaps.of(spec.precompiledCharsmap(), "normalizer spec"), null);
    }

    /** Normalizes UTF-8 bytes (invalid bytes become U+FFFD) and returns the normalized UTF-8 bytes. */
    public byte[] normalizeToBytes(byte[] in, int off, int len) {
        GrowableBytes out = new GrowableBytes(len + len / 2 + 4);
        normalize(in, off, len, out, new Scratch());
        return java.util.Arrays.copyOf(out.data, out.length);
    }

    /** Normalizes UTF-8 bytes (invalid bytes become U+FFFD) and returns the normalized text. */
    public String normalize(byte[] in, int off, int len) {
        GrowableBytes out = new GrowableBytes(len * 2 + 4);
        normalize(in, off, len, out, new Scratch());
        return new String(out.data, 0, out.length, StandardCharsets.UTF_8);
    }

    /** Normalizes a whole string. */
    public String normalize(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        GrowableBytes out = new GrowableBytes(b.length * 2 + 4);
        normalize(b, 0, b.length, out, new Scratch());
        return new String(out.data, 0, out.length, StandardCharsets.UTF_8);
    }

    private void addSpace(GrowableBytes out) {
        if (escapeWhitespaces) {
            out.add(Utf8.SPACE_SYMBOL);
        } else {
            out.add(SPACE);
        }
    }

    /** NormalizePrefix: what the prefix at {@code pos} becomes, and how many input bytes it consumes. */
    private void prefix(byte[] in, int pos, int end, Scratch t) {
        if (userDefined != null) {
            int m = userDefined.longestMatch(in, pos, end);
            if (m > 0) {
                set(t, in, pos, m, m);
                return;
            }
        }
        if (charsMap != null) {
            int m = charsMap.match(in, pos, end, t.match);
            if (m > 0) {
                set(t, charsMap.replacements(), t.match[0], t.match[1], m);
                return;
            }
        }
        int n = Utf8.validCharLength(in, pos, end);
        if (n == 0) {
            set(t, Utf8.REPLACEMENT, 0, 3, 1);
        } else {
            set(t, in, pos, n, n);
        }
    }

    private static void set(Scratch t, byte[] src, int off, int len, int consumed) {
        t.src = src;
        t.srcOff = off;
        t.srcLen = len;
        t.consumed = consumed;
    }
}
