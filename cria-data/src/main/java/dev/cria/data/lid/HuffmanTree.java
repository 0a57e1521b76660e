package dev.cria.data.lid;

/**
 * The hierarchical softmax's binary tree over the labels, built as fastText builds it from the label counts: leaves
 * 0..n−1 are the labels (sorted by count, most frequent first), internal nodes n..2n−2 are created by always merging
 * the two lightest available nodes (the leaves are consumed from the lightest end, new nodes in creation order), the
 * root is 2n−2. Internal node i's classifier is row i − n of the output matrix; the right child is the "1" branch.
 */
final class HuffmanTree {
    final int leaves;
    final int[] left;
    final int[] right;
    final int[] parent;
    final boolean[] binary;

    HuffmanTree(long[] counts) {
        int n = counts.length;
        leaves = n;
        int nodes = Math.max(1, 2 * n - 1);
        left = new int[nodes];
        right = new int[nodes];
        parent = new int[nodes];
        binary = new boolean[nodes];
        long[] count = new long[nodes];
        for (int i = 0; i < nodes; i++) {
            left[i] = -1;
            right[i] = -1;
            parent[i] = -1;
            count[i] = i < n ? counts[i] : 1_000_000_000_000_000L;
        }
        int leaf = n - 1;
        int node = n;
        for (int i = n; i < 2 * n - 1; i++) {
            int[] mini = new int[2];
            for (int j = 0; j < 2; j++) {
                if (leaf >= 0 && count[leaf] < count[node]) {
                    mini[j] = leaf--;
                } else {
                    mini[j] = node++;
                }
            }
            left[i] = mini[0];
            right[i] = mini[1];
            count[i] = count[mini[0]] + count[mini[1]];
            parent[mini[0]] = i;
            parent[mini[1]] = i;
            binary[mini[1]] = true;
        }
    }

    int root() {
        return 2 * leaves - 2;
    }

    boolean isLeaf(int node) {
        return left[node] == -1 && right[node] == -1;
    }
}
