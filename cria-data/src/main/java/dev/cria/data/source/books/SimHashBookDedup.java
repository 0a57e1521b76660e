package dev.cria.data.source.books;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import dev.cria.data.stage.Outcome;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * RedPajama's book dedup (DATA-RULES §6), the {@code simhash} preset: features are the overlapping 6-character
 * substrings of the lower-cased text with every run of non-word characters deleted; each feature hashes to the last
 * 8 bytes of its MD5; a fingerprint bit is set when more than half of the features have it. Books within Hamming
 * distance 5 are near-duplicates (found through 6 blocks of the 64 bits, one of which two such fingerprints must
 * share), and a book is dropped when one of its near-duplicates comes earlier in shard order.
 */
public final class SimHashBookDedup implements GlobalStage<SimHashBookDedup.Fingerprints> {

    private static final long serialVersionUID = 1L;
    private static final Pattern NON_WORD = Pattern.compile("\\W+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final int WIDTH = 6;
    private static final int MAX_DISTANCE = 5;
    private static final int[] BLOCK_START = {0, 10, 20, 30, 40, 50, 64};

    /** Fingerprints per book, in shard order. */
    public static final class Fingerprints implements Serializable {
        private static final long serialVersionUID = 1L;
        final List<String> ids = new ArrayList<>();
        final List<Long> fingerprints = new ArrayList<>();
    }

    @Override
    public String name() {
        return "book_simhash_dedup";
    }

    static long fingerprint(String text) {
        String features = NON_WORD.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("");
        int[] codePoints = features.codePoints().toArray();
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
        int[] votes = new int[64];
        int count = Math.max(1, codePoints.length - WIDTH + 1);
        for (int i = 0; i < count; i++) {
            String feature = new String(codePoints, i, Math.min(WIDTH, codePoints.length - i));
            byte[] d = md5.digest(feature.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int b = 8; b < 16; b++) {
                h = (h << 8) | (d[b] & 0xFF);
            }
            for (int bit = 0; bit < 64; bit++) {
                votes[bit] += ((h >>> bit) & 1) != 0 ? 1 : -1;
            }
        }
        long fingerprint = 0;
        for (int bit = 0; bit < 64; bit++) {
            if (votes[bit] > 0) {
                fingerprint |= 1L << bit;
            }
        }
        return fingerprint;
    }

    @Override
    public Fingerprints emptySummary() {
        return new Fingerprints();
    }

    @Override
    public Fingerprints observe(Fingerprints summary, Document document) {
        summary.ids.add(document.source() + '\u0000' + document.id());
        summary.fingerprints.add(fingerprint(document.text()));
        return summary;
    }

    @Override
    public Fingerprints merge(Fingerprints earlier, Fingerprints later) {
        earlier.ids.addAll(later.ids);
        earlier.fingerprints.addAll(later.fingerprints);
        return earlier;
    }

    @Override
    public DocumentStage decide(Fingerprints s) {
        int n = s.ids.size();
        int[] duplicateOf = new int[n];
        java.util.Arrays.fill(duplicateOf, -1);
        Map<Long, List<Integer>> byBlock = new HashMap<>();
        for (int i = 0; i < n; i++) {
            long f = s.fingerprints.get(i);
            for (int block = 0; block < 6; block++) {
                long key = ((long) block << 60) ^ blockValue(f, block);
                for (int j : byBlock.getOrDefault(key, List.of())) {
                    if (Long.bitCount(f ^ s.fingerprints.get(j)) <= MAX_DISTANCE && (duplicateOf[i] < 0 || j < duplicateOf[i])) {
                        duplicateOf[i] = j;
                    }
                }
                byBlock.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        // The reason names the earliest near-duplicate, so the funnel lists the clusters.
        Map<String, String> reason = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String earliest = duplicateOf[i] < 0 ? "" : s.ids.get(duplicateOf[i]);
            reason.putIfAbsent(s.ids.get(i), earliest.isEmpty() ? "" : "near_duplicate_of_" + earliest.substring(earliest.indexOf('\u0000') + 1));
        }
        return new DocumentStage() {
            private static final long serialVersionUID = 1L;

            @Override
            public String name() {
                return "book_simhash_dedup";
            }

            @Override
            public Outcome apply(Document document) {
                String r = reason.get(document.source() + '\u0000' + document.id());
                if (r == null) {
                    throw new IllegalStateException("book_simhash_dedup: book " + document.id() + " was not observed");
                }
                return r.isEmpty() ? Outcome.keep(document) : Outcome.drop(r);
            }
        };
    }

    private static long blockValue(long f, int block) {
        int from = BLOCK_START[block];
        int bits = BLOCK_START[block + 1] - from;
        return (f >>> from) & ((1L << bits) - 1);
    }
}
