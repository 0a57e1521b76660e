package dev.cria.tokenizer.bytelevel;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A pre-tokenizer for split patterns other than Llama 3's (e.g. GPT-2's), run by {@code java.util.regex}.
 *
 * <p>As HF's Split with behaviour "Isolated": every match is a chunk and so is every stretch between matches.
 * {@link Pattern#UNICODE_CHARACTER_CLASS} gives {@code \s}, {@code \w} and case folding the Unicode meaning
 * that the Rust regex crates use.
 */
final class RegexPreTokenizer implements PreTokenizer {

    /** GPT-2's split rule, which HF's ByteLevel pre-tokenizer applies when {@code use_regex} is true. */
    static final String GPT2_PATTERN =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private final String source;
    private final Pattern compiled;

    /** Throws {@link PatternSyntaxException} when Java cannot compile {@code pattern}. */
    RegexPreTokenizer(String pattern) {
        this.source = pattern;
        this.compiled = Pattern.compile(pattern, Pattern.UNICODE_CHARACTER_CLASS);
    }

    @Override
    public String pattern() {
        return source;
    }

    @Override
    public void split(byte[] utf8, int from, int to, ChunkSink sink) {
        String text = new String(utf8, from, to - from, StandardCharsets.UTF_8);
        Matcher matcher = compiled.matcher(text);
        int charPos = 0;
        int bytePos = from;
        while (matcher.find()) {
            if (matcher.start() == matcher.end()) {
                continue;
            }
            if (matcher.start() > charPos) {
                int gapEnd = bytePos + utf8Length(text, charPos, matcher.start());
                sink.chunk(bytePos, gapEnd);
                bytePos = gapEnd;
            }
            int matchEnd = bytePos + utf8Length(text, matcher.start(), matcher.end());
            sink.chunk(bytePos, matchEnd);
            bytePos = matchEnd;
            charPos = matcher.end();
        }
        if (bytePos < to) {
            sink.chunk(bytePos, to);
        }
    }

    private static int utf8Length(String text, int from, int to) {
        int bytes = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                // The pair's low half is counted here: 4 bytes for one supplementary code point.
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
