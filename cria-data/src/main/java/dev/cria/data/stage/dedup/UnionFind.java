package dev.cria.data.stage.dedup;

/**
 * Disjoint sets over {@code 0..n-1} where a set's root is always its smallest member, so "keep the root" keeps the
 * first document of each cluster in shard order (the dedup stages' rule).
 */
public final class UnionFind {

    private final int[] parent;

    public UnionFind(int n) {
        parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
    }

    /** The root (smallest member) of {@code i}'s set, halving the path on the way. */
    public int find(int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    public void union(int a, int b) {
        int ra = find(a);
        int rb = find(b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
