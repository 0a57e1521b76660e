package dev.cria.data.stage.dedup;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import dev.cria.data.stage.Outcome;
import java.io.Serializable;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * MinHash near-deduplication as datatrove and FineWeb run it (DATA-RULES §11.6): shingles are word 5-grams of the
 * simplified text, hashed to 64 bits (SHA-1, FineWeb's choice); {@code bands × rows} hash functions
 * {@code (a·h + b) mod (2^61 − 1)} give the signature; two documents whose signatures agree on every row of some band
 * are linked, linked documents form clusters (union-find), and one document per cluster survives: the first in
 * shard order. With 14 bands of 8 rows a pair with Jaccard similarity 0.8 is caught with probability 0.92.
 */
public final class MinHashDedup implements GlobalStage<MinHashDedup.Signatures> {

    private static final long serialVersionUID = 1L;
    private static final long MERSENNE_61 = (1L << 61) - 1;

    /** Band hashes per document, in shard order. */
    public static final class Signatures implements Serializable {
        private static final long serialVersionUID = 1L;
        final List<String> keys = new ArrayList<>();
        final List<long[]> bands = new ArrayList<>();
    }

    private final int ngram;
    private final int bands;
    private final int rows;
    private final long[] a;
    private final long[] b;

    public MinHashDedup(int ngram, int bands, int rows, long seed) {
        if (ngram < 1 || bands < 1 || rows < 1) {
            throw new IllegalArgumentException("minhash needs positive ngram, bands and rows");
        }
        this.ngram = ngram;
        this.bands = bands;
        this.rows = rows;
        SplittableRandom random = new SplittableRandom(seed);
        a = new long[bands * rows];
        b = new long[bands * rows];
        for (int i = 0; i < a.length; i++) {
            a[i] = 1 + random.nextLong(MERSENNE_61 - 1);
            b[i] = random.nextLong(MERSENNE_61);
        }
    }

    public MinHashDedup() {
        this(5, 14, 8, 1);
    }

    @Override
    public String name() {
        return "minhash_dedup";
    }

    /** datatrove's {@code simplify_text}: lower-case, numbers to 0, punctuation to spaces, accents off, one space. */
    public static String simplify(String text) {
        String decomposed = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        boolean space = true;
        boolean inNumber = false;
        for (int i = 0; i < decomposed.length(); ) {
            int c = decomposed.codePointAt(i);
            i += Character.charCount(c);
            int type = Character.getType(c);
            if (type == Character.NON_SPACING_MARK) {
                continue;
            }
            if (Character.isDigit(c)) {
                if (!inNumber) {
                    out.append('0');
                    inNumber = true;
                    space = false;
                }
                continue;
            }
            inNumber = false;
            if (Character.isLetter(c)) {
                out.appendCodePoint(c);
                space = false;
            } else if (!space) {
                out.append(' ');
                space = true;
            }
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        return out.substring(0, end);
    }

    long[] signature(String text) {
        String[] words = simplify(text).split(" ");
        long[] minima = new long[a.length];
        java.util.Arrays.fill(minima, Long.MAX_VALUE);
        int shingles = Math.max(1, words.length - ngram + 1);
        for (int s = 0; s < shingles; s++) {
            String shingle = String.join(" ", java.util.Arrays.copyOfRange(words, s, Math.min(words.length, s + ngram)));
            long h = Long.remainderUnsigned(Digests.sha1(shingle), MERSENNE_61);
            for (int i = 0; i < a.length; i++) {
                long v = mulAddMod(a[i], h, b[i]);
                if (v < minima[i]) {
                    minima[i] = v;
                }
            }
        }
        long[] bandHashes = new long[bands];
        for (int band = 0; band < bands; band++) {
            long h = 0x9E3779B97F4A7C15L * (band + 1);
            for (int r = 0; r < rows; r++) {
                h = (h ^ minima[band * rows + r]) * 0xbf58476d1ce4e5b9L;
                h ^= h >>> 31;
            }
            bandHashes[band] = h;
        }
        return bandHashes;
    }

    /** (a·h + b) mod 2^61 − 1 for a, h, b below the modulus, with the product in 128 bits. */
    private static long mulAddMod(long a, long h, long b) {
        long lo = a * h;
        long hi = Math.multiplyHigh(a, h);
        // 2^64 ≡ 2^3 (mod 2^61 − 1): fold the 128-bit product into 61-bit pieces.
        long r = (lo & MERSENNE_61) + ((lo >>> 61) | (hi << 3)) + b;
        r = (r & MERSENNE_61) + (r >>> 61);
        return r >= MERSENNE_61 ? r - MERSENNE_61 : r;
    }

    @Override
    public Signatures emptySummary() {
        return new Signatures();
    }

    @Override
    public Signatures observe(Signatures summary, Document document) {
        summary.keys.add(Digests.key(document));
        summary.bands.add(signature(document.text()));
        return summary;
    }

    @Override
    public Signatures merge(Signatures earlier, Signatures later) {
        earlier.keys.addAll(later.keys);
        earlier.bands.addAll(later.bands);
        return earlier;
    }

    @Override
    public DocumentStage decide(Signatures summary) {
        return new Clusters(summary);
    }

    /** The clusters of linked documents; the first document of each (in shard order) is kept. */
    public static final class Clusters implements DocumentStage {
        private static final long serialVersionUID = 1L;
        private final Map<String, Integer> index = new HashMap<>();
        private final int[] root;
        private final int[] clusterSize;

        Clusters(Signatures s) {
            int n = s.keys.size();
            UnionFind clusters = new UnionFind(n);
            for (int i = 0; i < n; i++) {
                index.putIfAbsent(s.keys.get(i), i);
            }
            int bandCount = n == 0 ? 0 : s.bands.get(0).length;
            for (int band = 0; band < bandCount; band++) {
                Map<Long, Integer> firstWithBand = new HashMap<>();
                for (int i = 0; i < n; i++) {
                    Integer other = firstWithBand.putIfAbsent(s.bands.get(i)[band], i);
                    if (other != null) {
                        clusters.union(other, i);
                    }
                }
            }
            root = new int[n];
            clusterSize = new int[n];
            for (int i = 0; i < n; i++) {
                root[i] = clusters.find(i);
                clusterSize[root[i]]++;
            }
        }

        /** Cluster sizes of the clusters with more than one document, largest first. */
        public List<Integer> duplicateClusterSizes() {
            return java.util.Arrays.stream(clusterSize).filter(v -> v > 1).boxed()
                    .sorted(java.util.Comparator.reverseOrder()).toList();
        }

        @Override
        public String name() {
            return "minhash_dedup";
        }

        @Override
        public Outcome apply(Document document) {
            Integer i = index.get(Digests.key(document));
            if (i == null) {
                throw new IllegalStateException("minhash_dedup: document " + document.id() + " was not observed in the first pass");
            }
            if (root[i] != i) {
                return Outcome.drop("near_duplicate");
            }
            return Outcome.keep(clusterSize[i] > 1 ? document.withMeta("minhash_cluster_size", clusterSize[i]) : document);
        }
    }
}
