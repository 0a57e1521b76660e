package dev.cria.data.lid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * fastText's dictionary: words then labels (each a byte string with its count), the optional prune index of the
 * n-gram buckets that survived quantization, and the rules that turn a line of text into input rows.
 *
 * <p>File layout ({@code Dictionary::save}): int32 size, int32 nwords, int32 nlabels, int64 ntokens, int64 pruneSize
 * (−1: not pruned), then per entry a NUL-terminated string, int64 count, int8 type (0 word, 1 label), then pruneSize
 * pairs of int32 (bucket, row).
 *
 * <p>Rows of the input matrix: word i is row i; character n-gram and word n-gram bucket b is row nwords + b, or
 * nwords + prune(b) when the model was pruned (buckets not in the prune index are dropped).
 */
public final class FastTextDictionary {
    static final byte[] EOS = "</s>".getBytes(StandardCharsets.US_ASCII);
    static final byte[] LABEL_PREFIX = "__label__".getBytes(StandardCharsets.US_ASCII);
    private static final byte BOW = '<';
    private static final byte EOW = '>';
    static final byte WORD = 0;
    static final byte LABEL = 1;

    private final FastTextArgs args;
    private final byte[][] entries;
    private final long[] counts;
    private final int nwords;
    private final int nlabels;
    private final long ntokens;
    /** −1 when the n-gram buckets were not pruned, else the number of buckets kept. */
    private final long pruneSize;
    private final IntIntMap pruneIndex;
    private final int[] entryHash;
    /** Open addressing by fastText hash: slot → entry id + 1, 0 when empty. */
    private final int[] slots;
    private final int mask;
    private final int[][] subwords;

    FastTextDictionary(FastTextArgs args, byte[][] entries, long[] counts, int nwords, long ntokens, long pruneSize,
            IntIntMap pruneIndex) {
        this.args = args;
        this.entries = entries;
        this.counts = counts;
        this.nwords = nwords;
        this.nlabels = entries.length - nwords;
        this.ntokens = ntokens;
        this.pruneSize = pruneSize;
        this.pruneIndex = pruneIndex;
        this.entryHash = new int[entries.length];
        int capacity = Integer.highestOneBit(Math.max(4, entries.length * 2 + 1)) << 1;
        this.slots = new int[capacity];
        this.mask = capacity - 1;
        for (int i = 0; i < entries.length; i++) {
            entryHash[i] = hash(entries[i], 0, entries[i].length);
            int s = entryHash[i] & mask;
            while (slots[s] != 0) {
                s = (s + 1) & mask;
            }
            slots[s] = i + 1;
        }
        this.subwords = new int[nwords][];
        Features scratch = new Features();
        for (int i = 0; i < nwords; i++) {
            scratch.clear();
            scratch.addRow(i);
            if (!Arrays.equals(entries[i], EOS)) {
                addCharNgrams(entries[i], 0, entries[i].length, scratch);
            }
            subwords[i] = Arrays.copyOf(scratch.rows, scratch.size);
        }
    }

    static FastTextDictionary read(ModelInput in, FastTextArgs args) throws FastTextFormatException {
        long at = in.offset();
        int size = in.int32("dictionary size");
        int nwords = in.int32("dictionary nwords");
        int nlabels = in.int32("dictionary nlabels");
        if (size < 0 || nwords < 0 || nlabels < 0 || (long) nwords + nlabels != size) {
            throw in.error(at, "dictionary: size " + size + " is not nwords " + nwords + " + nlabels " + nlabels);
        }
        long ntokens = in.int64("dictionary ntokens");
        long pruneAt = in.offset();
        long pruneSize = in.int64("dictionary prune index size");
        if (pruneSize < -1) {
            throw in.error(pruneAt, "dictionary: prune index size " + pruneSize + " (expected -1 or a count)");
        }
        // Each entry takes at least 10 bytes (NUL, count, type), each prune pair 8.
        if (10L * size + 8 * Math.max(0, pruneSize) > in.remaining()) {
            throw in.error(in.offset(), "truncated: " + size + " dictionary entries and " + Math.max(0, pruneSize)
                    + " prune pairs need at least " + (10L * size + 8 * Math.max(0, pruneSize))
                    + " bytes, the file has " + in.remaining() + " left");
        }
        byte[][] entries = new byte[size][];
        long[] counts = new long[size];
        for (int i = 0; i < size; i++) {
            long entryAt = in.offset();
            entries[i] = in.cString("dictionary entry " + i);
            counts[i] = in.int64("count of dictionary entry " + i);
            long typeAt = in.offset();
            byte type = in.int8("type of dictionary entry " + i);
            byte expected = i < nwords ? WORD : LABEL;
            if (type != expected) {
                throw in.error(typeAt, "dictionary entry " + i + " ('" + new String(entries[i], StandardCharsets.UTF_8)
                        + "' at offset " + entryAt + "): expected type " + expected + " (" + (expected == WORD
                        ? "word" : "label") + "), found " + type);
            }
        }
        IntIntMap pruneIndex = null;
        if (pruneSize > 0) {
            pruneIndex = new IntIntMap((int) pruneSize);
            for (long i = 0; i < pruneSize; i++) {
                long pairAt = in.offset();
                int bucket = in.int32("prune index bucket");
                int row = in.int32("prune index row");
                if (bucket < 0 || row < 0) {
                    throw in.error(pairAt, "prune index: expected a bucket and a row, found " + bucket + ", " + row);
                }
                pruneIndex.put(bucket, row);
            }
        }
        return new FastTextDictionary(args, entries, counts, nwords, ntokens, pruneSize, pruneIndex);
    }

    void write(ModelOutput out) throws IOException {
        out.int32(entries.length);
        out.int32(nwords);
        out.int32(nlabels);
        out.int64(ntokens);
        out.int64(pruneSize);
        for (int i = 0; i < entries.length; i++) {
            out.bytes(entries[i]);
            out.int8(0);
            out.int64(counts[i]);
            out.int8(i < nwords ? WORD : LABEL);
        }
        if (pruneIndex != null) {
            for (int i = 0; i < pruneIndex.size(); i++) {
                out.int32(pruneIndex.keyAt(i));
                out.int32(pruneIndex.valueAt(i));
            }
        }
    }

    public int nwords() {
        return nwords;
    }

    public int nlabels() {
        return nlabels;
    }

    long ntokens() {
        return ntokens;
    }

    /** Label {@code i} as stored, e.g. {@code __label__en}. */
    public String label(int i) {
        return new String(entries[nwords + i], StandardCharsets.UTF_8);
    }

    byte[] labelBytes(int i) {
        return entries[nwords + i];
    }

    public String word(int i) {
        return new String(entries[i], StandardCharsets.UTF_8);
    }

    /** Counts of the labels in label order: the weights of the hierarchical softmax's Huffman tree. */
    long[] labelCounts() {
        return Arrays.copyOfRange(counts, nwords, entries.length);
    }

    /**
     * fastText's string hash: 32-bit FNV-1a, except that each byte is sign-extended before the XOR (fastText hashed
     * {@code char}, which is signed on the platforms its released models were trained on, and kept that since).
     */
    static int hash(byte[] b, int from, int to) {
        int h = 0x811c9dc5;
        for (int i = from; i < to; i++) {
            h = (h ^ b[i]) * 16777619;
        }
        return h;
    }

    /** The id of the entry equal to {@code b[from, to)} whose hash is {@code h}, or −1. */
    int find(byte[] b, int from, int to, int h) {
        int s = h & mask;
        for (int e; (e = slots[s]) != 0; s = (s + 1) & mask) {
            int id = e - 1;
            if (entryHash[id] == h && Arrays.equals(entries[id], 0, entries[id].length, b, from, to)) {
                return id;
            }
        }
        return -1;
    }

    /**
     * The input rows of one line, in fastText's order ({@code Dictionary::getLine}): per word token, an in-vocabulary
     * word's own row and its character n-grams, an out-of-vocabulary word's n-grams only; tokens starting with
     * {@code __label__} are skipped; then the word n-grams of the whole line. Tokens are separated by space, tab, CR,
     * VT, FF, NUL and LF; {@code endOfLine} adds the end-of-sentence token {@code </s>} that fastText reads at a
     * newline.
     */
    void lineFeatures(byte[] text, int start, int end, boolean endOfLine, Features out) {
        out.clear();
        int i = start;
        while (i < end) {
            while (i < end && isSpace(text[i])) {
                i++;
            }
            if (i == end) {
                break;
            }
            int tokenStart = i;
            while (i < end && !isSpace(text[i])) {
                i++;
            }
            addToken(text, tokenStart, i, out);
        }
        if (endOfLine) {
            addToken(EOS, 0, EOS.length, out);
        }
        addWordNgrams(out);
    }

    /** A labelled training line: the word rows as {@link #lineFeatures}, the label ids into {@code labels}. */
    void trainingFeatures(byte[] text, int start, int end, Features out, Features labels) {
        labels.clear();
        lineFeatures(text, start, end, true, out);
        int i = start;
        while (i < end) {
            while (i < end && isSpace(text[i])) {
                i++;
            }
            int tokenStart = i;
            while (i < end && !isSpace(text[i])) {
                i++;
            }
            if (i > tokenStart && isLabel(text, tokenStart, i)) {
                int id = find(text, tokenStart, i, hash(text, tokenStart, i));
                if (id >= nwords) {
                    labels.addRow(id - nwords);
                }
            }
        }
    }

    private void addToken(byte[] b, int from, int to, Features out) {
        int h = hash(b, from, to);
        int id = find(b, from, to, h);
        if (id >= nwords || (id < 0 && isLabel(b, from, to))) {
            return;
        }
        if (id >= 0) {
            out.addRows(subwords[id]);
        } else if (!(b == EOS || Arrays.equals(b, from, to, EOS, 0, EOS.length))) {
            addCharNgrams(b, from, to, out);
        }
        out.addWordHash(h);
    }

    /**
     * The character n-grams of {@code <word>}: every run of minn..maxn UTF-8 characters (a continuation byte never
     * starts one), except the lone {@code <} and {@code >}; each hashed into a bucket.
     */
    private void addCharNgrams(byte[] b, int from, int to, Features out) {
        int maxn = args.maxn();
        if (maxn <= 0 || args.bucket() == 0) {
            return;
        }
        byte[] w = out.wordBuffer(to - from + 2);
        int len = to - from + 2;
        w[0] = BOW;
        System.arraycopy(b, from, w, 1, to - from);
        w[len - 1] = EOW;
        int minn = args.minn();
        int bucket = args.bucket();
        for (int i = 0; i < len; i++) {
            if ((w[i] & 0xC0) == 0x80) {
                continue;
            }
            int h = 0x811c9dc5;
            int j = i;
            for (int n = 1; j < len && n <= maxn; n++) {
                h = (h ^ w[j++]) * 16777619;
                while (j < len && (w[j] & 0xC0) == 0x80) {
                    h = (h ^ w[j++]) * 16777619;
                }
                if (n >= minn && !(n == 1 && (i == 0 || j == len))) {
                    pushBucket(Integer.remainderUnsigned(h, bucket), out);
                }
            }
        }
    }

    /**
     * Word n-grams up to {@code wordNgrams}: h = h·116049371 + next word's hash in unsigned 64-bit arithmetic, where
     * each 32-bit word hash enters sign-extended (fastText keeps them as int32), bucket = h mod bucket.
     */
    private void addWordNgrams(Features out) {
        int n = args.wordNgrams();
        if (n <= 1 || args.bucket() == 0) {
            return;
        }
        int[] hashes = out.wordHashes;
        int count = out.wordHashCount;
        for (int i = 0; i < count; i++) {
            long h = hashes[i];
            for (int j = i + 1; j < count && j < i + n; j++) {
                h = h * 116049371L + hashes[j];
                pushBucket((int) Long.remainderUnsigned(h, args.bucket()), out);
            }
        }
    }

    private void pushBucket(int bucket, Features out) {
        if (pruneSize == 0) {
            return;
        }
        if (pruneSize > 0) {
            int row = pruneIndex.get(bucket);
            if (row < 0) {
                return;
            }
            bucket = row;
        }
        out.addRow(nwords + bucket);
    }

    static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0x0b || c == '\f' || c == 0;
    }

    static boolean isLabel(byte[] b, int from, int to) {
        return to - from >= LABEL_PREFIX.length
                && Arrays.equals(b, from, from + LABEL_PREFIX.length, LABEL_PREFIX, 0, LABEL_PREFIX.length);
    }

    /** Whether quantization pruned the n-gram buckets (then only {@link #prunedBuckets} of them have rows). */
    boolean pruned() {
        return pruneSize >= 0;
    }

    long prunedBuckets() {
        return Math.max(0, pruneSize);
    }

    /** Rows and word hashes of one line, reused from line to line. */
    static final class Features {
        int[] rows = new int[256];
        int size;
        int[] wordHashes = new int[64];
        int wordHashCount;
        private byte[] word = new byte[64];

        void clear() {
            size = 0;
            wordHashCount = 0;
        }

        void addRow(int row) {
            if (size == rows.length) {
                rows = Arrays.copyOf(rows, size * 2);
            }
            rows[size++] = row;
        }

        void addRows(int[] r) {
            if (size + r.length > rows.length) {
                rows = Arrays.copyOf(rows, Math.max(size * 2, size + r.length));
            }
            System.arraycopy(r, 0, rows, size, r.length);
            size += r.length;
        }

        void addWordHash(int h) {
            if (wordHashCount == wordHashes.length) {
                wordHashes = Arrays.copyOf(wordHashes, wordHashCount * 2);
            }
            wordHashes[wordHashCount++] = h;
        }

        byte[] wordBuffer(int length) {
            if (word.length < length) {
                word = new byte[Math.max(length, word.length * 2)];
            }
            return word;
        }
    }
}
