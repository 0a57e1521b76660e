package dev.cria.tokenizer.spm;

/** CHAR models (char_model.cc): one piece per character, user-defined symbols kept whole. */
final class CharSegmenter implements Segmenter {
    private final Vocabulary vocab;
    private final PrefixMatcher userDefined;

    CharSegmenter(Vocabulary vocab) {
        this.vocab = vocab;
        this.userDefined = vocab.userDefined.isEmpty() ? null : new PrefixMatcher(vocab.userDefined);
    }

    @Override
    public void segment(byte[] s, int length, IntList out, SegmenterScratch scratch) {
        int pos = 0;
        while (pos < length) {
            int k = userDefined == null ? 0 : userDefined.longestMatch(s, pos, length);
            if (k == 0) {
                k = Math.min(Utf8.lengthFromLead(s[pos]), length - pos);
            }
            out.add(WordSegmenter.lookup(vocab, s, pos, k, scratch));
            pos += k;
        }
    }
}
