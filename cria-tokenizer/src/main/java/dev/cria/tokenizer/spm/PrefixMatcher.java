package dev.cria.tokenizer.spm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Longest-match lookup of a fixed set of strings (user-defined symbols, or the trainer's meta pieces) at a
 * position of UTF-8 text. Keys are bucketed by first byte and tried longest first.
 */
public final class PrefixMatcher {
    private final byte[][][] byFirstByte = new byte[256][][];
    private final boolean empty;
    private final boolean[] firstBytes = new boolean[256];

    public PrefixMatcher(Collection<String> keys) {
        List<List<byte[]>> buckets = new ArrayList<>(256);
        for (int i = 0; i < 256; i++) {
            buckets.add(new ArrayList<>());
        }
        boolean any = false;
        for (String k : keys) {
            byte[] b = k.getBytes(StandardCharsets.UTF_8);
            if (b.length > 0) {
                buckets.get(b[0] & 0xFF).add(b);
                any = true;
            }
        }
        for (int i = 0; i < 256; i++) {
            List<byte[]> bucket = buckets.get(i);
            if (!bucket.isEmpty()) {
                bucket.sort(Comparator.comparingInt((byte[] b) -> -b.length));
                firstBytes[i] = true;
                byFirstByte[i] = bucket.toArray(new byte[0][]);
            }
        }
        empty = !any;
    }

    /** Whether some key starts with byte {@code b}: a cheap filter before {@link #longestMatch}. */
    public boolean startsAKey(byte b) {
        return firstBytes[b & 0xFF];
    }

    public boolean isEmpty() {
        return empty;
    }

    /** Length of the longest key that starts at {@code pos}, or 0 when none does. */
    public int longestMatch(byte[] s, int pos, int end) {
        byte[][] bucket = byFirstByte[s[pos] & 0xFF];
        if (bucket == null) {
            return 0;
        }
        for (byte[] key : bucket) {
            if (key.length <= end - pos && Arrays.equals(s, pos, pos + key.length, key, 0, key.length)) {
                return key.length;
            }
        }
        return 0;
    }

    /** Replaces every occurrence (leftmost-longest, scanning by whole characters) with {@code replacement}. */
    public String globalReplace(String text, String replacement) {
        if (empty) {
            return text;
        }
        byte[] s = text.getBytes(StandardCharsets.UTF_8);
        GrowableBytes out = new GrowableBytes(s.length);
        byte[] rep = replacement.getBytes(StandardCharsets.UTF_8);
        int pos = 0;
        boolean changed = false;
        while (pos < s.length) {
            int m = longestMatch(s, pos, s.length);
            if (m > 0) {
                out.add(rep);
                pos += m;
                changed = true;
            } else {
                int len = Math.min(Utf8.lengthFromLead(s[pos]), s.length - pos);
                out.add(s, pos, len);
                pos += len;
            }
        }
        return changed ? new String(out.data, 0, out.length, StandardCharsets.UTF_8) : text;
    }
}
