package dev.cria.tokenizer.bytelevel;

import dev.cria.tokenizer.TokenizerFormatException;

/**
 * Which adjacent pairs merge and in what order, from tiktoken ranks or from a merge list.
 *
 * <p><b>Ranks (tiktoken).</b> Any two adjacent tokens whose concatenation is a token merge, lowest rank of the
 * concatenation first; the id of a token is its rank. The table therefore holds every split (l, r) of every
 * token t with priority t.
 *
 * <p><b>Merge list (HF, GGUF).</b> Only listed pairs merge, earlier entries first. For a vocabulary converted
 * from tiktoken (Llama 3) the list holds every split of every token, ordered by the id of the result; then
 * both rules pick the same pair at every step and the ids <em>are</em> the ranks — {@link #idsAreRanks}
 * records that this was checked: the results' ids never decrease along the list, and the list's distinct
 * pairs are as many as the vocabulary's splits (every listed pair is a split, so the sets are equal). Where the
 * check fails (GPT-2-style lists, which omit splits), merging follows the list.
 *
 * @param table       pair → (priority, merged id)
 * @param idsAreRanks whether token ids order merges exactly as tiktoken ranks would
 */
record MergeRules(PairMergeTable table, boolean idsAreRanks) {

    /** Every split of every mergeable token, priority = the token's id. */
    static MergeRules fromRanks(byte[][] tokens, boolean[] mergeable, TokenBytesIndex index) {
        PairMergeTable table = new PairMergeTable(countSplits(tokens, mergeable, index));
        for (int id = 0; id < tokens.length; id++) {
            if (!mergeable[id]) {
                continue;
            }
            byte[] token = tokens[id];
            for (int k = 1; k < token.length; k++) {
                int left = index.get(token, 0, k);
                int right = left < 0 ? -1 : index.get(token, k, token.length);
                if (right >= 0) {
                    table.putIfAbsent(left, right, id, id);
                }
            }
        }
        return new MergeRules(table, true);
    }

    /**
     * The listed pairs {@code (lefts[k], rights[k])}, priority = k; a pair listed twice keeps its first place.
     *
     * @param name how errors name the list, e.g. {@code "model.merges"}
     */
    static MergeRules fromMergeList(int[] lefts, int[] rights, byte[][] tokens, boolean[] mergeable,
                                    TokenBytesIndex index, String source, String name)
            throws TokenizerFormatException {
        PairMergeTable table = new PairMergeTable(lefts.length);
        boolean ordered = true;
        int lastMerged = -1;
        byte[] joined = new byte[64];
        for (int k = 0; k < lefts.length; k++) {
            int left = lefts[k];
            int right = rights[k];
            for (int side : new int[] {left, right}) {
                if (!mergeable[side]) {
                    throw new TokenizerFormatException(source + ": " + name + "[" + k + "] uses token " + side
                            + " " + describe(tokens[side]) + ", which is an added token, not a mergeable one");
                }
            }
            int length = tokens[left].length + tokens[right].length;
            if (joined.length < length) {
                joined = new byte[length * 2];
            }
            System.arraycopy(tokens[left], 0, joined, 0, tokens[left].length);
            System.arraycopy(tokens[right], 0, joined, tokens[left].length, tokens[right].length);
            int merged = index.get(joined, 0, length);
            if (merged < 0) {
                throw new TokenizerFormatException(source + ": " + name + "[" + k + "] merges "
                        + describe(tokens[left]) + " and " + describe(tokens[right])
                        + " but the vocabulary has no token for the result");
            }
            if (table.putIfAbsent(left, right, k, merged)) {
                ordered &= merged >= lastMerged;
                lastMerged = merged;
            }
        }
        boolean complete = table.size() == countSplits(tokens, mergeable, index);
        return new MergeRules(table, ordered && complete);
    }

    private static int countSplits(byte[][] tokens, boolean[] mergeable, TokenBytesIndex index) {
        int count = 0;
        for (int id = 0; id < tokens.length; id++) {
            if (!mergeable[id]) {
                continue;
            }
            byte[] token = tokens[id];
            for (int k = 1; k < token.length; k++) {
                if (index.get(token, 0, k) >= 0 && index.get(token, k, token.length) >= 0) {
                    count++;
                }
            }
        }
        return count;
    }

    private static String describe(byte[] token) {
        return "'" + ByteLevelAlphabet.toPiece(token) + "'";
    }
}
