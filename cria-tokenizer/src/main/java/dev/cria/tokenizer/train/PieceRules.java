package dev.cria.tokenizer.train;

import dev.cria.tokenizer.spm.TrainerSpec;

/**
 * Which strings may become pieces (TrainerInterface::IsValidSentencePiece): the shape constraints that
 * split_by_whitespace, split_by_unicode_script, split_by_number, split_digits, max_sentencepiece_length and
 * allow_whitespace_only_pieces put on the vocabulary.
 */
final class PieceRules {
    static final int WS = 0x2581;
    static final int UNK_CHAR = 0x2585;
    static final int BOUNDARY = '\t';

    private final int maxLength;
    private final boolean allowWhitespaceOnly;
    private final boolean suffix;
    private final boolean splitByWhitespace;
    private final boolean splitByNumber;
    private final boolean splitDigits;
    private final boolean splitByScript;

    PieceRules(TrainerSpec spec) {
        maxLength = spec.maxSentencepieceLength();
        allowWhitespaceOnly = spec.allowWhitespaceOnlyPieces();
        suffix = spec.treatWhitespaceAsSuffix();
        splitByWhitespace = spec.splitByWhitespace();
        splitByNumber = spec.splitByNumber();
        splitDigits = spec.splitDigits();
        splitByScript = spec.splitByUnicodeScript();
    }

    boolean isValid(int[] cps) {
        int n = cps.length;
        if (n == 0 || n > maxLength) {
            return false;
        }
        boolean allWhitespace = true;
        for (int c : cps) {
            allWhitespace &= c == WS;
        }
        int prevScript = UnicodeScripts.ANY;
        for (int pos = 0; pos < n; pos++) {
            int c = cps[pos];
            if (c == UNK_CHAR || c == 0 || c == BOUNDARY || c == ' ' || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
                return false;
            }
            if (c == WS) {
                // Whitespace only as a prefix (suffix), unless the piece is all whitespace and that is allowed;
                // without split_by_whitespace it may also sit inside a piece, but not at its end (start).
                if (!allowWhitespaceOnly || !allWhitespace) {
                    if (suffix) {
                        if ((splitByWhitespace && pos < n - 1) || (!splitByWhitespace && pos < n - 1 && pos == 0)) {
                            return false;
                        }
                    } else if ((splitByWhitespace && pos > 0) || (!splitByWhitespace && pos > 0 && pos == n - 1)) {
                        return false;
                    }
                }
            } else {
                int s = UnicodeScripts.of(c);
                if (UnicodeScripts.isInherited(s)) {
                    s = prevScript;
                }
                boolean digit = UnicodeScripts.isDecimalDigit(c);
                if (!splitByNumber && digit) {
                    s = UnicodeScripts.ANY;
                }
                if (splitDigits && digit && n > 1) {
                    return false;
                }
                if (splitByScript && s != UnicodeScripts.ANY && prevScript != UnicodeScripts.ANY && prevScript != s) {
                    return false;
                }
                prevScript = s;
            }
        }
        return true;
    }
}
