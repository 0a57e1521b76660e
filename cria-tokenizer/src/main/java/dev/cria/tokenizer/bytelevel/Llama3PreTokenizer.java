package dev.cria.tokenizer.bytelevel;

/**
 * Llama 3's pre-tokenizer as a hand-written scanner over UTF-8 bytes, equivalent to the regex
 * {@value #PATTERN} under leftmost-first alternation (tiktoken's fancy-regex, HF's Split "Isolated").
 *
 * <p>Character classes as in the Rust regex crates: {@code \p{L}} = general categories Lu Ll Lt Lm Lo,
 * {@code \p{N}} = Nd Nl No, {@code \s} = the Unicode White_Space property (categories Zs Zl Zp, U+0009..U+000D
 * and U+0085). {@code (?i)} folds {@code s} to {@code S} and {@code ſ} (U+017F); the other contraction letters
 * fold to their ASCII pair only.
 *
 * <p>How each alternative reduces to a scan from the chunk's first character c:
 * <ol>
 *   <li>{@code 'x} contractions: an apostrophe followed by s, t, m, d, re, ve or ll.
 *   <li>{@code [^\r\n\p{L}\p{N}]?\p{L}+}: c is a letter (take the letter run), or c is none of CR, LF, letter,
 *       digit and the next character is a letter (take c and the run).
 *   <li>{@code \p{N}{1,3}}: up to three number characters.
 *   <li>{@code ?[^\s\p{L}\p{N}]+[\r\n]*}: a run of "other" characters, optionally after one U+0020, then any
 *       CR/LF run.
 *   <li>{@code \s*[\r\n]+}: c is whitespace and its whitespace run holds a CR or LF: backtracking stops right
 *       after the <em>last</em> CR/LF of the run.
 *   <li>{@code \s+(?!\S)}: the whole run if it ends the text, else the run less its last character (which
 *       then prefixes the next word), when that leaves at least one character.
 *   <li>{@code \s+}: what remains is a single whitespace character before a non-space.
 * </ol>
 */
final class Llama3PreTokenizer implements PreTokenizer {

    static final String PATTERN =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
                    + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    static final Llama3PreTokenizer INSTANCE = new Llama3PreTokenizer();

    private static final byte OTHER = 0;
    private static final byte LETTER = 1;
    private static final byte NUMBER = 2;
    /** Whitespace other than CR and LF. */
    private static final byte SPACE = 3;
    /** CR or LF (also whitespace). */
    private static final byte NEWLINE = 4;

    private static final byte[] BMP_CLASS = new byte[0x10000];

    static {
        for (int cp = 0; cp < BMP_CLASS.length; cp++) {
            BMP_CLASS[cp] = classify(cp);
        }
    }

    private Llama3PreTokenizer() {
    }

    private static byte classify(int cp) {
        if (cp == '\r' || cp == '\n') {
            return NEWLINE;
        }
        if ((cp >= 0x09 && cp <= 0x0D) || cp == 0x85) {
            return SPACE;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> SPACE;
            default -> OTHER;
        };
    }

    @Override
    public String pattern() {
        return PATTERN;
    }

    @Override
    public void split(byte[] utf8, int from, int to, ChunkSink sink) {
        int pos = from;
        while (pos < to) {
            int end = chunkEnd(utf8, pos, to);
            sink.chunk(pos, end);
            pos = end;
        }
    }

    /** End of the chunk that starts at {@code pos}; {@code t[pos, end)} is well-formed UTF-8 and non-empty. */
    static int chunkEnd(byte[] t, int pos, int end) {
        int b0 = t[pos];
        if (b0 == '\'' && pos + 1 < end) {
            int contraction = contractionEnd(t, pos + 1, end);
            if (contraction > 0) {
                return contraction;
            }
        }
        int cls0 = classAt(t, pos);
        int p1 = pos + lengthAt(t, pos);
        if (cls0 == LETTER) {
            return skipLetters(t, p1, end);
        }
        if (cls0 != NEWLINE && cls0 != NUMBER && p1 < end && classAt(t, p1) == LETTER) {
            return skipLetters(t, p1 + lengthAt(t, p1), end);
        }
        if (cls0 == NUMBER) {
            int p = p1;
            for (int k = 1; k < 3 && p < end && classAt(t, p) == NUMBER; k++) {
                p += lengthAt(t, p);
            }
            return p;
        }
        if (cls0 == OTHER) {
            return skipOthers(t, p1, end);
        }
        if (b0 == ' ' && p1 < end && classAt(t, p1) == OTHER) {
            return skipOthers(t, p1 + lengthAt(t, p1), end);
        }
        return whitespaceEnd(t, pos, end);
    }

    private static int whitespaceEnd(byte[] t, int pos, int end) {
        int afterLastNewline = -1;
        int lastStart = pos;
        int count = 0;
        int p = pos;
        while (p < end) {
            int cls = classAt(t, p);
            if (cls < SPACE) {
                break;
            }
            int length = lengthAt(t, p);
            if (cls == NEWLINE) {
                afterLastNewline = p + length;
            }
            lastStart = p;
            p += length;
            count++;
        }
        if (afterLastNewline >= 0) {
            return afterLastNewline;
        }
        if (p == end || count == 1) {
            return p;
        }
        return lastStart;
    }

    /** End of {@code 's|'t|'re|'ve|'m|'ll|'d} (case-insensitive) whose letters start at {@code q}, or -1. */
    private static int contractionEnd(byte[] t, int q, int end) {
        // OR-ing 0x20 lower-cases an ASCII letter; only 'S'/'s' give 's', and so on.
        int c = t[q] | 0x20;
        return switch (c) {
            case 's', 't', 'm', 'd' -> q + 1;
            case 'r', 'v' -> q + 1 < end && (t[q + 1] | 0x20) == 'e' ? q + 2 : -1;
            case 'l' -> q + 1 < end && (t[q + 1] | 0x20) == 'l' ? q + 2 : -1;
            // U+017F LATIN SMALL LETTER LONG S (C5 BF) case-folds to 's'.
            default -> t[q] == (byte) 0xC5 && q + 1 < end && t[q + 1] == (byte) 0xBF ? q + 2 : -1;
        };
    }

    private static int skipLetters(byte[] t, int p, int end) {
        while (p < end && classAt(t, p) == LETTER) {
            p += lengthAt(t, p);
        }
        return p;
    }

    private static int skipOthers(byte[] t, int p, int end) {
        while (p < end && classAt(t, p) == OTHER) {
            p += lengthAt(t, p);
        }
        while (p < end && (t[p] == '\r' || t[p] == '\n')) {
            p++;
        }
        return p;
    }

    private static int classAt(byte[] t, int p) {
        int b = t[p];
        if (b >= 0) {
            return BMP_CLASS[b];
        }
        int cp = codePointAt(t, p);
        return cp < 0x10000 ? BMP_CLASS[cp] : classify(cp);
    }

    private static int lengthAt(byte[] t, int p) {
        int b = t[p] & 0xFF;
        return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    }

    private static int codePointAt(byte[] t, int p) {
        int b = t[p] & 0xFF;
        if (b < 0xE0) {
            return ((b & 0x1F) << 6) | (t[p + 1] & 0x3F);
        }
        if (b < 0xF0) {
            return ((b & 0x0F) << 12) | ((t[p + 1] & 0x3F) << 6) | (t[p + 2] & 0x3F);
        }
        return ((b & 0x07) << 18) | ((t[p + 1] & 0x3F) << 12) | ((t[p + 2] & 0x3F) << 6) | (t[p + 3] & 0x3F);
    }
}
