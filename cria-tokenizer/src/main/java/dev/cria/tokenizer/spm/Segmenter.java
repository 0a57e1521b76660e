package dev.cria.tokenizer.spm;

/**
 * Turns normalized text into a sequence of symbol codes: the model-type specific step of encoding
 * (BPE merges, unigram Viterbi, characters, words).
 *
 * <p>A code {@code >= 0} is a final id. A negative code is an unknown symbol that still needs the library's
 * unknown handling (byte fallback or one merged {@code <unk>}): {@link #unknownChar(int)} for a single
 * character, {@link #unknownPiece(int)} for a vocabulary piece whose id lookup lands on {@code <unk>}, and
 * {@link #unknownSpan(int)} for any other span of the normalized text (WORD models).
 */
interface Segmenter {

    /** Appends the codes of {@code normalized[0, length)} to {@code out}. */
    void segment(byte[] normalized, int length, IntList out, SegmenterScratch scratch);

    static int unknownChar(int codePoint) {
        return -1 - codePoint;
    }

    static int unknownPiece(int pieceId) {
        return -0x110001 - pieceId;
    }

    static boolean isUnknownPiece(int code) {
        return code <= -0x110001 && code > SPAN_BASE;
    }

    static int unknownCodePoint(int code) {
        return -1 - code;
    }

    static int unknownPieceId(int code) {
        return -0x110001 - code;
    }

    /** An unknown span of the normalized text, recorded in {@link SegmenterScratch#spans} at {@code index}. */
    static int unknownSpan(int index) {
        return SPAN_BASE - index;
    }

    static boolean isUnknownSpan(int code) {
        return code <= SPAN_BASE;
    }

    static int unknownSpanIndex(int code) {
        return SPAN_BASE - code;
    }

    int SPAN_BASE = -0x40000000;
}
