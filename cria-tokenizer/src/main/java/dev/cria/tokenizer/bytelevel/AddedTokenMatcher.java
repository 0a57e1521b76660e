package dev.cria.tokenizer.bytelevel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds added tokens (special or user-defined) in text before pre-tokenization: the leftmost occurrence,
 * and at one position the longest token. Immutable.
 */
final class AddedTokenMatcher {

    private final byte[][] texts;
    private final int[] ids;
    /** For each first byte, indexes into texts/ids, longest text first; null when no token starts so. */
    private final int[][] byFirstByte = new int[256][];

    private AddedTokenMatcher(List<byte[]> texts, List<Integer> ids) {
        this.texts = texts.toArray(new byte[0][]);
        this.ids = ids.stream().mapToInt(Integer::intValue).toArray();
        List<List<Integer>> buckets = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            buckets.add(new ArrayList<>());
        }
        for (int i = 0; i < this.texts.length; i++) {
            buckets.get(this.texts[i][0] & 0xFF).add(i);
        }
        for (int b = 0; b < 256; b++) {
            List<Integer> bucket = buckets.get(b);
            if (!bucket.isEmpty()) {
                bucket.sort(Comparator.comparingInt((Integer i) -> -this.texts[i].length));
                byFirstByte[b] = bucket.stream().mapToInt(Integer::intValue).toArray();
            }
        }
    }

    /** A matcher for the given (text, id) pairs, or null when there are none to match; empty texts are ignored. */
    static AddedTokenMatcher of(List<byte[]> texts, List<Integer> ids) {
        List<byte[]> keptTexts = new ArrayList<>();
        List<Integer> keptIds = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).length > 0) {
                keptTexts.add(texts.get(i));
                keptIds.add(ids.get(i));
            }
        }
        return keptTexts.isEmpty() ? null : new AddedTokenMatcher(keptTexts, keptIds);
    }

    /** The first match in {@code buf[from, to)} as {@code start << 32 | index}, or -1. */
    long find(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            int[] candidates = byFirstByte[buf[i] & 0xFF];
            if (candidates == null) {
                continue;
            }
            for (int c : candidates) {
                byte[] text = texts[c];
                if (i + text.length <= to && java.util.Arrays.equals(text, 0, text.length, buf, i, i + text.length)) {
                    return (long) i << 32 | c;
                }
            }
        }
        return -1;
    }

    int id(int index) {
        return ids[index];
    }

    int length(int index) {
        return texts[index].length;
    }
}
