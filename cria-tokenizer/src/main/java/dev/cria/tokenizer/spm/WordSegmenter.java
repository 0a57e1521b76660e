package dev.cria.tokenizer.spm;

import java.nio.charset.StandardCharsets;

/** WORD models (word_model.cc): the normalized text split into words at {@code ▁}, each word one piece or unknown. */
final class WordSegmenter implements Segmenter {
    private final Vocabulary vocab;
    private final boolean treatWhitespaceAsSuffix;

    WordSegmenter(Vocabulary vocab, boolean treatWhitespaceAsSuffix) {
        this.vocab = vocab;
        this.treatWhitespaceAsSuffix = treatWhitespaceAsSuffix;
    }

    @Override
    public void segment(byte[] s, int length, IntList out, SegmenterScratch scratch) {
        int wordStart = 0;
        int pos = 0;
        while (pos < length) {
            boolean space = Utf8.isSpaceSymbol(s, pos, length);
            int k = space ? 3 : Math.min(Utf8.lengthFromLead(s[pos]), length - pos);
            if (treatWhitespaceAsSuffix) {
                pos += k;
                if (space && pos < length) {
                    out.add(lookup(vocab, s, wordStart, pos - wordStart, scratch));
                    wordStart = pos;
                }
            } else {
                if (space && pos > wordStart) {
                    out.add(lookup(vocab, s, wordStart, pos - wordStart, scratch));
                    wordStart = pos;
                }
                pos += k;
            }
        }
        if (wordStart < length) {
            out.add(lookup(vocab, s, wordStart, length - wordStart, scratch));
        }
    }

    /** PieceToId of a span, or an unknown-span code when it lands on {@code <unk>}. */
    static int lookup(Vocabulary vocab, byte[] s, int start, int len, SegmenterScratch scratch) {
        int id = vocab.pieceToId(new String(s, start, len, StandardCharsets.UTF_8));
        if (id != vocab.unkId) {
            return id;
        }
        int index = scratch.spans.size / 2;
        scratch.spans.add(start);
        scratch.spans.add(len);
        return Segmenter.unknownSpan(index);
    }
}
