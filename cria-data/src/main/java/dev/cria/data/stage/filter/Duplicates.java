package dev.cria.data.stage.filter;

import dev.cria.data.text.PythonText;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Repetition measures shared by the Gopher and FineWeb filters; a repeat is every copy after the first. */
final class Duplicates {

    /** @param elements how many repeats, and how many characters they hold */
    record Count(int elements, long chars) {
    }

    private Duplicates() {
    }

    static Count of(List<String> elements) {
        Set<String> seen = new HashSet<>();
        int repeats = 0;
        long chars = 0;
        for (String e : elements) {
            if (!seen.add(e)) {
                repeats++;
                chars += PythonText.length(e);
            }
        }
        return new Count(repeats, chars);
    }

    /** Characters of the most frequent word n-gram (words joined by spaces) times its count. */
    static long topNgramChars(List<String> words, int n) {
        Map<String, Integer> counts = new HashMap<>();
        String best = null;
        int bestCount = 0;
        for (int i = 0; i + n <= words.size(); i++) {
            String gram = String.join(" ", words.subList(i, i + n));
            int c = counts.merge(gram, 1, Integer::sum);
            if (c > bestCount) {
                best = gram;
                bestCount = c;
            }
        }
        return best == null ? 0 : (long) PythonText.length(best) * bestCount;
    }

    /**
     * Characters inside repeated word n-grams, scanning left to right: after a repeat the scan jumps past its n
     * words, so overlapping repeats are not counted twice. The n-gram is its words concatenated without spaces.
     */
    static long repeatedNgramChars(List<String> words, int n) {
        Set<String> seen = new HashSet<>();
        long chars = 0;
        int i = 0;
        while (i + n <= words.size()) {
            String gram = String.join("", words.subList(i, i + n));
            if (seen.contains(gram)) {
                chars += PythonText.length(gram);
                i += n;
            } else {
                seen.add(gram);
                i++;
            }
        }
        return chars;
    }
}
