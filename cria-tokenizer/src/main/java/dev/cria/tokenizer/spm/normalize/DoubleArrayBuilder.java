package dev.cria.tokenizer.spm.normalize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a Darts-clone compatible double array (see {@link DartsUnit}) from sorted byte keys with values.
 *
 * <p>Two steps:
 * <ol>
 *   <li>The keys become a minimal acyclic automaton: trie nodes with the same outgoing labels, targets and end
 *       value are merged bottom-up, so shared suffixes (the many expansions of one NFKD sequence) are stored once.
 *       A key's end is an edge labelled 0 whose target is the value.
 *   <li>Each automaton state gets a base {@code b} such that the slots {@code b ^ label} of all its edges are free
 *       and no other state uses {@code b}. Every unit that leads to a state stores {@code offset = index ^ b}.
 * </ol>
 * Unique bases make lookups exact: a lookup at base {@code b} reading byte {@code c} lands on slot {@code b ^ c}
 * and accepts it only if its label is {@code c}; a slot owned by another state {@code b'} holds
 * {@code slot ^ b' != c}. A free slot {@code s} gets the label {@code s ^ u} for a base {@code u} no state uses
 * (there is one in each block with a free slot), so it never matches either; leaf units carry bit 31 and match no
 * byte. Searching for a base only looks at the free slots of the last {@value #OPEN_BLOCKS} blocks of 256 units,
 * which bounds the build time, as darts-clone does.
 */
final class DoubleArrayBuilder {

    private static final int BLOCK = 256;
    private static final int OPEN_BLOCKS = 16;
    /** Offsets stay unscaled (and always encodable) while every index is below 2^21. */
    static final int MAX_UNITS = DartsUnit.MAX_UNSCALED_OFFSET;

    private final List<int[]> stateLabels = new ArrayList<>();
    private final List<int[]> stateTargets = new ArrayList<>();
    private final Map<StateKey, Integer> internedStates = new HashMap<>();

    private int[] units = new int[0];
    private boolean[] slotUsed = new boolean[0];
    private boolean[] baseUsed = new boolean[0];
    private int[] nextFree = new int[0];
    private int[] prevFree = new int[0];
    private int freeHead = -1;
    private int size;
    private int firstOpenBlock;
    private int[] stateBase;

    private DoubleArrayBuilder() {
    }

    /**
     * Builds the units for {@code keys} (distinct, non-empty, without NUL bytes, sorted as unsigned bytes) with
     * {@code values[i]} (non-negative) for {@code keys[i]}.
     */
    static int[] build(byte[][] keys, int[] values) {
        if (keys.length == 0) {
            throw new IllegalArgumentException("a double array needs at least one key");
        }
        DoubleArrayBuilder builder = new DoubleArrayBuilder();
        int root = builder.intern(keys, values, 0, keys.length, 0);
        return builder.layOut(root);
    }

    /** Interns the state reached after {@code depth} bytes by {@code keys[begin, end)}, which share that prefix. */
    private int intern(byte[][] keys, int[] values, int begin, int end, int depth) {
        // Each edge takes at least one key, and there are at most 256 labels (0 for the end, then 1..255).
        int[] labels = new int[Math.min(end - begin, BLOCK)];
        int[] targets = new int[labels.length];
        int edges = 0;
        int i = begin;
        if (keys[i].length == depth) {
            labels[edges] = 0;
            targets[edges++] = values[i];
            i++;
        }
        while (i < end) {
            int label = keys[i][depth] & 0xFF;
            if (label == 0) {
                throw new IllegalArgumentException("key " + i + " holds a NUL byte at " + depth);
            }
            int groupEnd = i + 1;
            while (groupEnd < end && (keys[groupEnd][depth] & 0xFF) == label) {
                groupEnd++;
            }
            labels[edges] = label;
            targets[edges++] = intern(keys, values, i, groupEnd, depth + 1);
            i = groupEnd;
        }
        labels = Arrays.copyOf(labels, edges);
        targets = Arrays.copyOf(targets, edges);
        StateKey key = new StateKey(labels, targets);
        Integer known = internedStates.get(key);
        if (known != null) {
            return known;
        }
        int id = stateLabels.size();
        stateLabels.add(labels);
        stateTargets.add(targets);
        internedStates.put(key, id);
        return id;
    }

    private int[] layOut(int root) {
        stateBase = new int[stateLabels.size()];
        Arrays.fill(stateBase, -1);
        addBlock();
        reserve(0);
        // Base 0 would make slot 0 (the root, label 0) a child for label 0; no state may use it.
        baseUsed[0] = true;
        // Placing may grow the arrays, so the base is computed before units is read.
        int rootBase = place(root);
        units[0] = DartsUnit.node(0, false, rootBase);
        while (firstOpenBlock < size / BLOCK) {
            closeOldestBlock();
        }
        return Arrays.copyOf(units, size);
    }

    /** Places {@code state}'s edges (once) and returns its base. */
    private int place(int state) {
        if (stateBase[state] >= 0) {
            return stateBase[state];
        }
        int[] labels = stateLabels.get(state);
        int[] targets = stateTargets.get(state);
        int base = findBase(labels);
        baseUsed[base] = true;
        stateBase[state] = base;
        for (int label : labels) {
            reserve(base ^ label);
        }
        for (int e = 0; e < labels.length; e++) {
            int slot = base ^ labels[e];
            if (labels[e] == 0) {
                units[slot] = DartsUnit.leaf(targets[e]);
            } else {
                int child = targets[e];
                int childBase = place(child);
                units[slot] = DartsUnit.node(labels[e], endsKey(child), slot ^ childBase);
            }
        }
        return base;
    }

    private boolean endsKey(int state) {
        int[] labels = stateLabels.get(state);
        return labels.length > 0 && labels[0] == 0;
    }

    /** First fit over the open free slots: a base whose slots for all {@code labels} are free. */
    private int findBase(int[] labels) {
        if (freeHead >= 0) {
            int free = freeHead;
            do {
                int base = free ^ labels[0];
                if (!baseUsed[base] && slotsFree(base, labels)) {
                    return base;
                }
                free = nextFree[free];
            } while (free != freeHead);
        }
        int base = size;
        addBlock();
        return base;
    }

    private boolean slotsFree(int base, int[] labels) {
        for (int label : labels) {
            if (slotUsed[base ^ label]) {
                return false;
            }
        }
        return true;
    }

    private void addBlock() {
        if (size + BLOCK > MAX_UNITS) {
            throw new IllegalArgumentException("the rules need more than " + MAX_UNITS + " double-array units");
        }
        if (size + BLOCK > units.length) {
            int capacity = Math.max(BLOCK * 4, units.length * 2);
            units = Arrays.copyOf(units, capacity);
            slotUsed = Arrays.copyOf(slotUsed, capacity);
            baseUsed = Arrays.copyOf(baseUsed, capacity);
            nextFree = Arrays.copyOf(nextFree, capacity);
            prevFree = Arrays.copyOf(prevFree, capacity);
        }
        int start = size;
        size += BLOCK;
        for (int slot = start; slot < size; slot++) {
            appendFree(slot);
        }
        if (size / BLOCK - firstOpenBlock > OPEN_BLOCKS) {
            closeOldestBlock();
        }
    }

    /** Takes the oldest open block out of the search and labels its free slots so that no lookup matches them. */
    private void closeOldestBlock() {
        int start = firstOpenBlock * BLOCK;
        int unusedBase = -1;
        for (int base = start; base < start + BLOCK; base++) {
            if (!baseUsed[base]) {
                unusedBase = base;
                break;
            }
        }
        for (int slot = start; slot < start + BLOCK; slot++) {
            if (!slotUsed[slot]) {
                if (unusedBase < 0) {
                    throw new IllegalStateException("block " + firstOpenBlock + " has a free slot but no free base");
                }
                reserve(slot);
                // A state with base b checks label == slot ^ b; only the unused base would pass.
                units[slot] = (slot ^ unusedBase) & 0xFF;
            }
        }
        firstOpenBlock++;
    }

    private void appendFree(int slot) {
        if (freeHead < 0) {
            freeHead = slot;
            nextFree[slot] = slot;
            prevFree[slot] = slot;
            return;
        }
        int last = prevFree[freeHead];
        nextFree[last] = slot;
        prevFree[slot] = last;
        nextFree[slot] = freeHead;
        prevFree[freeHead] = slot;
    }

    private void reserve(int slot) {
        if (slotUsed[slot]) {
            throw new IllegalStateException("slot " + slot + " reserved twice");
        }
        slotUsed[slot] = true;
        int next = nextFree[slot];
        if (next == slot) {
            freeHead = -1;
            return;
        }
        int prev = prevFree[slot];
        nextFree[prev] = next;
        prevFree[next] = prev;
        if (freeHead == slot) {
            freeHead = next;
        }
    }

    /** A state's identity for merging: its edge labels and their targets (child states, or the value for label 0). */
    private record StateKey(int[] labels, int[] targets) {
        @Override
        public boolean equals(Object other) {
            return other instanceof StateKey key && Arrays.equals(labels, key.labels)
                    && Arrays.equals(targets, key.targets);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(labels) + Arrays.hashCode(targets);
        }

        @Override
        public String toString() {
            return Arrays.toString(labels) + "->" + Arrays.toString(targets);
        }
    }
}
