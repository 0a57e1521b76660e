package dev.cria.tokenizer.train;

import java.util.Arrays;

/**
 * The model the unigram trainer refines (unigram_model_trainer.cc TrainerModel): pieces in their current order with
 * their log-probability scores, and a code point trie over them for building lattices. A piece's id is its index.
 *
 * <p>The trainer's model has no {@code <unk>} piece, yet its lattices still mark an uncovered character with the
 * model's unknown id, which the library leaves at its default 0: the expected count and Viterbi frequency of such
 * characters land on piece 0. {@link #UNKNOWN_ID} keeps that.
 */
final class UnigramModel {
    /** ModelInterface's default unk_id_, which TrainerModel never changes. */
    static final int UNKNOWN_ID = 0;
    /** unigram_model.cc kUnkPenalty: an uncovered character scores this much below the worst piece. */
    static final float UNKNOWN_PENALTY = 10.0f;

    private static final int CODE_POINT_BITS = 21;

    final int[][] pieces;
    final float[] scores;
    /** The lowest score (FLT_MAX when there are no pieces, as the library starts from). */
    final float minScore;

    /** Open-addressing map (node << 21 | code point) -> child node; -1 marks an empty slot. */
    private final long[] keys;
    private final int[] children;
    private final int mask;
    /** Piece id ending at a trie node, or -1. */
    private int[] terminal;
    private int nodes = 1;

    UnigramModel(int[][] pieces, float[] scores) {
        if (pieces.length != scores.length || pieces.length == 0) {
            throw new IllegalArgumentException("a unigram model needs at least one piece and one score per piece");
        }
        this.pieces = pieces;
        this.scores = scores;
        float min = Float.MAX_VALUE;
        long chars = 0;
        for (int i = 0; i < pieces.length; i++) {
            if (Float.isNaN(scores[i])) {
                throw new IllegalStateException("score of piece " + new String(pieces[i], 0, pieces[i].length) + " is NaN");
            }
            min = Math.min(min, scores[i]);
            chars += pieces[i].length;
        }
        minScore = min;
        int capacity = Integer.highestOneBit((int) Math.min(1 << 30, Math.max(16, chars + chars / 2))) * 2;
        keys = new long[capacity];
        Arrays.fill(keys, -1L);
        children = new int[capacity];
        mask = capacity - 1;
        terminal = new int[(int) Math.min(Integer.MAX_VALUE - 8, chars + 1)];
        Arrays.fill(terminal, -1);
        for (int id = 0; id < pieces.length; id++) {
            insert(pieces[id], id);
        }
    }

    int size() {
        return pieces.length;
    }

    String piece(int id) {
        return new String(pieces[id], 0, pieces[id].length);
    }

    private void insert(int[] piece, int id) {
        int node = 0;
        for (int cp : piece) {
            long key = (long) node << CODE_POINT_BITS | cp;
            int slot = slot(key);
            if (keys[slot] == -1L) {
                keys[slot] = key;
                children[slot] = nodes++;
            }
            node = children[slot];
        }
        if (terminal[node] >= 0) {
            throw new IllegalStateException("piece " + piece(id) + " appears twice in the unigram model");
        }
        terminal[node] = id;
    }

    private int slot(long key) {
        int h = (int) ((key * 0x9E3779B97F4A7C15L) >>> 33) & mask;
        while (keys[h] != -1L && keys[h] != key) {
            h = (h + 1) & mask;
        }
        return h;
    }

    /** The trie node reached from {@code node} by {@code cp}, or -1. */
    int child(int node, int cp) {
        long key = (long) node << CODE_POINT_BITS | cp;
        int h = (int) ((key * 0x9E3779B97F4A7C15L) >>> 33) & mask;
        while (true) {
            long k = keys[h];
            if (k == key) {
                return children[h];
            }
            if (k == -1L) {
                return -1;
            }
            h = (h + 1) & mask;
        }
    }

    /** The piece id that ends at {@code node}, or -1. */
    int pieceAt(int node) {
        return terminal[node];
    }
}
