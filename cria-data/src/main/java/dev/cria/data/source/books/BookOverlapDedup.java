package dev.cria.data.source.books;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.dedup.MinHashDedup;
import dev.cria.data.stage.dedup.UnionFind;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Book-level near-deduplication as the LLaMA paper states it (DATA-RULES §6): books with more than 90 % content
 * overlap are duplicates. Overlap is measured, not proxied: the share of the smaller book's word 5-grams (on the
 * simplified text) that occur in the larger book. Each book keeps a 1-in-8 sample of its shingle hashes (chosen by
 * hash value, so two books sample the same shingles and the share stays unbiased); candidate pairs are books sharing
 * one of their 64 smallest hashes; linked books form clusters and the first book of each cluster (shard order) is
 * kept. Clusters are reported: a dropped book's reason is {@code near_duplicate_of_ID} (ID the kept book), and the
 * kept book carries the others' ids in meta {@code near_duplicates}.
 */
public final class BookOverlapDedup implements GlobalStage<BookOverlapDedup.Shingles> {

    private static final long serialVersionUID = 1L;
    private static final int SKETCH = 64;

    /** Sampled shingle hashes per book, in shard order. */
    public static final class Shingles implements Serializable {
        private static final long serialVersionUID = 1L;
        final List<String> ids = new ArrayList<>();
        final List<long[]> hashes = new ArrayList<>();
    }

    private final double threshold;
    private final int ngram;

    public BookOverlapDedup(double threshold, int ngram) {
        this.threshold = threshold;
        this.ngram = ngram;
    }

    public BookOverlapDedup() {
        this(0.9, 5);
    }

    @Override
    public String name() {
        return "book_overlap_dedup";
    }

    long[] sampledShingles(String text) {
        String[] words = MinHashDedup.simplify(text).split(" ");
        long[] out = new long[Math.max(1, words.length)];
        int n = 0;
        for (int i = 0; i + ngram <= words.length; i++) {
            long h = 0xcbf29ce484222325L;
            for (int w = i; w < i + ngram; w++) {
                String word = words[w];
                for (int c = 0; c < word.length(); c++) {
                    h = (h ^ word.charAt(c)) * 0x100000001b3L;
                }
                h = (h ^ ' ') * 0x100000001b3L;
            }
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            if ((h & 7) == 0) {
                out[n++] = h;
            }
        }
        long[] sorted = Arrays.copyOf(out, n);
        Arrays.sort(sorted);
        return distinct(sorted);
    }

    private static long[] distinct(long[] sorted) {
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[n++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, n);
    }

    /** |A ∩ B| / min(|A|, |B|) over two sorted sets. */
    static double overlap(long[] a, long[] b) {
        if (a.length == 0 || b.length == 0) {
            return 0;
        }
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < a.length && j < b.length) {
            int c = Long.compare(a[i], b[j]);
            if (c == 0) {
                common++;
                i++;
                j++;
            } else if (c < 0) {
                i++;
            } else {
                j++;
            }
        }
        return (double) common / Math.min(a.length, b.length);
    }

    @Override
    public Shingles emptySummary() {
        return new Shingles();
    }

    @Override
    public Shingles observe(Shingles summary, Document document) {
        summary.ids.add(document.source() + '\u0000' + document.id());
        summary.hashes.add(sampledShingles(document.text()));
        return summary;
    }

    @Override
    public Shingles merge(Shingles earlier, Shingles later) {
        earlier.ids.addAll(later.ids);
        earlier.hashes.addAll(later.hashes);
        return earlier;
    }

    @Override
    public DocumentStage decide(Shingles s) {
        int n = s.ids.size();
        UnionFind clusters = new UnionFind(n);
        Map<Long, List<Integer>> bySketchHash = new HashMap<>();
        for (int i = 0; i < n; i++) {
            long[] h = s.hashes.get(i);
            for (int k = 0; k < Math.min(SKETCH, h.length); k++) {
                bySketchHash.computeIfAbsent(h[k], x -> new ArrayList<>()).add(i);
            }
        }
        java.util.Set<Long> tried = new java.util.HashSet<>();
        for (List<Integer> books : bySketchHash.values()) {
            for (int x = 0; x < books.size(); x++) {
                for (int y = x + 1; y < books.size(); y++) {
                    int a = books.get(x);
                    int b = books.get(y);
                    if (tried.add(((long) a << 32) | b) && overlap(s.hashes.get(a), s.hashes.get(b)) > threshold) {
                        clusters.union(a, b);
                    }
                }
            }
        }
        return new Clusters(s.ids, clusters);
    }

    /** The clusters found; the first book of each is kept. */
    public static final class Clusters implements DocumentStage {
        private static final long serialVersionUID = 1L;
        private final Map<String, Integer> index = new HashMap<>();
        private final int[] root;
        private final List<String> ids;

        Clusters(List<String> ids, UnionFind clusters) {
            this.ids = List.copyOf(ids);
            root = new int[ids.size()];
            for (int i = 0; i < ids.size(); i++) {
                index.putIfAbsent(ids.get(i), i);
                root[i] = clusters.find(i);
            }
        }

        /** Clusters of two or more books, each as its document ids, the kept one first. */
        public List<List<String>> duplicateClusters() {
            TreeMap<Integer, List<String>> clusters = new TreeMap<>();
            for (int i = 0; i < root.length; i++) {
                clusters.computeIfAbsent(root[i], r -> new ArrayList<>()).add(ids.get(i).substring(ids.get(i).indexOf('\u0000') + 1));
            }
            return clusters.values().stream().filter(c -> c.size() > 1).toList();
        }

        @Override
        public String name() {
            return "book_overlap_dedup";
        }

        @Override
        public Outcome apply(Document document) {
            Integer i = index.get(document.source() + '\u0000' + document.id());
            if (i == null) {
                throw new IllegalStateException("book_overlap_dedup: book " + document.id() + " was not observed in the first pass");
            }
            if (root[i] != i) {
                // The reason names the kept book, so the funnel lists every cluster and its size.
                return Outcome.drop("near_duplicate_of_" + bookId(root[i]));
            }
            List<String> duplicates = new ArrayList<>();
            for (int j = 0; j < root.length; j++) {
                if (j != i && root[j] == i) {
                    duplicates.add(bookId(j));
                }
            }
            return Outcome.keep(duplicates.isEmpty() ? document : document.withMeta("near_duplicates", duplicates));
        }

        private String bookId(int i) {
            return ids.get(i).substring(ids.get(i).indexOf('\u0000') + 1);
        }
    }
}
