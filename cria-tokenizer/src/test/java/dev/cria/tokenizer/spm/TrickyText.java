package dev.cria.tokenizer.spm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded random lines over an alphabet chosen to hit tokenizer edge cases (never containing '\n'). */
final class TrickyText {
    private static final String[] ATOMS = {
        "a", "b", "e", "t", "the", "The", "ing", "ed", " ", " ", " ", "  ", "   ", "\t", "\r", "0", "1", "7", "42", "2024", ".", ",", "!",
        "?", "'", "\"", "-", "<s>", "</s>", "<unk>", "<0x41>", "\u2581", "\u2581\u2581", "é", "e\u0301", "ß", "Ä", "ñ", "Ж", "я", "中",
        "文", "日本語", "ひらがな", "カタカナ", "ー", "한국어", "ｆｕｌｌ", "１２", "ﬁ", "\u00a0", "\u200b", "\u3000", "🦙", "👍🏽", "🇪🇺",
        "\ufffd", "\u0000", "\u007f", "‐", "…", "“", "”", "Ω", "∑", "\u2585", "hello", "world", " of", " and", "ly", "tion"};

    private TrickyText() {
    }

    /** Lines of valid UTF-8. */
    static List<String> lines(long seed, int count, int maxAtoms) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(maxAtoms + 1);
            for (int k = 0; k < n; k++) {
                sb.append(ATOMS[r.nextInt(ATOMS.length)]);
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** Lines of random bytes (mostly invalid UTF-8 mixed with ASCII), never containing '\n'. */
    static List<byte[]> byteLines(long seed, int count, int maxLen) {
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int n = r.nextInt(maxLen + 1);
            for (int k = 0; k < n; k++) {
                int kind = r.nextInt(4);
                if (kind == 0) {
                    b.writeBytes("ab ".getBytes(StandardCharsets.US_ASCII));
                } else if (kind == 1) {
                    b.writeBytes(ATOMS[r.nextInt(ATOMS.length)].getBytes(StandardCharsets.UTF_8));
                } else {
                    int v = 0x80 + r.nextInt(0x80);
                    b.write(v);
                }
            }
            out.add(b.toByteArray());
        }
        return out;
    }
}
