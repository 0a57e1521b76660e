package dev.cria.tokenizer.spm.normalize;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Lines that exercise normalization: full-width forms, ligatures, compatibility characters, decomposed sequences,
 * Hangul jamo, control characters, many kinds of space, and malformed UTF-8. Every character is assigned in
 * Unicode 13, the version of SentencePiece's precompiled rules.
 */
final class TrickyText {

    private TrickyText() {
    }

    static final List<String> LINES = List.of(
            "ＡＢＣ ａｂｃ １２３ ！？＃ ～ ｶﾞｷﾞ ﾊﾟ ｱｲｳ ｰ",
            "ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ Ĳ ĳ ǆ ǅ Ǆ ŉ ſt",
            "① ⑳ ㈱ ㍻ ㌔ ½ ¼ ™ ℃ ℉ Ⅻ ⅻ ² ³ ₁ ㎏ ㎞ ℡ № ℀ ﹏ ︵ ⒜ ⑴ ㉑ ㊿",
            "e\u0301 E\u0301 a\u0308 A\u030A o\u0302\u0301 a\u0308\u0304 C\u0327\u0301 n\u0303 i\u0307 u\u031B\u0309",
            "Ａ\u030A 𝐀\u030A ｅ\u0301 ⓔ\u0301 a\u0301\u0308 a\u0323\u0302 a\u0302\u0323 ṩ s\u0323\u0307 s\u0307\u0323",
            "\u1100\u1161 \u1100\u1161\u11A8 \u3131\u314F \uFFA1\uFFC2 \u1112\u1161\u11AB\u1100\u1173\u11AF 한글 \u3131\u314F\u3131",
            "ΆΈ Ά ς σ Σ ϐ ϑ ϕ ΐ ΐ й и\u0306 Ё Е\u0308 ΅ ᾈ ᾳ",
            "𝐀𝐁𝐂 𝑎𝑏𝑐 𝔸𝔹 𝟘𝟙𝟚 ℝ ℕ ℌ ℹ ⅈ",
            "ﷺ ﷻ ﻻ ﻷ ﺍﻟ ﷲ ﴾ ﴿ ﹰ ﺀ",
            "a\u0001b\u0007c\u001Bd\u007Fe\u0085f\u008Fg\u009Fh\u000Bi\u000Cj\tk\rl\u0000m",
            "a\u00A0b\u2000c\u2002d\u2003e\u2009f\u200Ag\u3000h\u202Fi\u205Fj\u1680k\u200Bl\u200Cm\u200Dn\u2028o"
                    + "\u2029p\uFEFFq\u2581r\u180Es\u2060t\u00ADu",
            "\uFFFD ～ \uFF5E ~ 〜 \u301C",
            "👨\u200D👩\u200D👧 ❤\uFE0F 🇯🇵 \u00AD soft",
            "\uF900 \uF91D \u2F00 \u2FD5 ⺟ 𠀀 \u3099 か\u3099 カ\u309A \u309B ゟ ヿ",
            "   several   spaces here   ",
            "Tiếng Việt có dấu: ệ ề ể ễ ế ự ừ ữ ử ứ",
            "क़ ख़ ग़ ज़ क\u093C অ\u09BE \u0B47\u0B3E",
            "",
            "Ǆemal ǈ ǋ Ǳ ǲ ǳ",
            "ẞ ß İ ı K Å Ω µ");

    /** Malformed UTF-8 lines: stray continuation, truncated sequences, surrogate, overlong, above U+10FFFF. */
    static final List<byte[]> MALFORMED_LINES = List.of(
            new byte[] {(byte) 0x80, 'a'},
            new byte[] {'a', (byte) 0xC3, '(', 'b'},
            new byte[] {(byte) 0xE2, (byte) 0x82},
            new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, ' ', 'x'},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {(byte) 0xC0, (byte) 0xAF, (byte) 0xC1, (byte) 0xBF},
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD, (byte) 0xFF, (byte) 0xFE});

    /** All lines as one file, each ending in a newline. */
    static byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : LINES) {
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        for (byte[] line : MALFORMED_LINES) {
            out.writeBytes(line);
            out.write('\n');
        }
        return out.toByteArray();
    }
}
