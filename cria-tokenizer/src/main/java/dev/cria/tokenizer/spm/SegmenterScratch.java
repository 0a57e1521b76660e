package dev.cria.tokenizer.spm;

/** Per-thread working memory of a segmenter, so that encoding allocates nothing once warm. */
final class SegmenterScratch {
    int[] sym = new int[64];
    int[] start = new int[64];
    int[] bytes = new int[64];
    boolean[] frozen = new boolean[64];
    int[] candId = new int[64];
    float[] candScore = new float[64];
    final WordCache cache = new WordCache(1 << 16);
    /** (start, length) pairs of unknown spans, see {@link Segmenter#unknownSpan(int)}. */
    final IntList spans = new IntList(16);

    void ensure(int n) {
        if (sym.length < n) {
            int cap = Math.max(n, sym.length * 2);
            sym = new int[cap];
            start = new int[cap];
            bytes = new int[cap];
            frozen = new boolean[cap];
            candId = new int[cap];
            candScore = new float[cap];
        }
    }
}
