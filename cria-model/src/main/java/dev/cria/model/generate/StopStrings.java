package dev.cria.model.generate;

import java.util.List;

/**
 * Holds back generated text that might be the start of a stop string, so that a stop string is never shown:
 * text is released once no stop string can begin in it, and generation ends at the first complete stop string
 * (the text before it is released, the stop string and anything after it are not).
 */
final class StopStrings {
    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private boolean stopped;

    StopStrings(List<String> stops) {
        for (String s : stops) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("a stop string must not be empty");
            }
        }
        this.stops = List.copyOf(stops);
    }

    boolean stopped() {
        return stopped;
    }

    /** Adds {@code text}; returns the part that can be shown now. */
    String accept(String text) {
        if (stopped) {
            return "";
        }
        if (stops.isEmpty()) {
            return text;
        }
        held.append(text);
        int first = -1;
        for (String s : stops) {
            int at = held.indexOf(s);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        if (first >= 0) {
            stopped = true;
            String out = held.substring(0, first);
            held.setLength(0);
            return out;
        }
        int keep = longestSuffixThatStartsAStop();
        String out = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return out;
    }

    /** Releases what is held when generation ends for another reason. */
    String flush() {
        String out = held.toString();
        held.setLength(0);
        return out;
    }

    private int longestSuffixThatStartsAStop() {
        int best = 0;
        for (String s : stops) {
            int max = Math.min(s.length() - 1, held.length());
            for (int k = max; k > best; k--) {
                if (endsWithPrefix(s, k)) {
                    best = k;
                    break;
                }
            }
        }
        return best;
    }

    /** Whether {@code held} ends with the first {@code k} characters of {@code stop}. */
    private boolean endsWithPrefix(String stop, int k) {
        int from = held.length() - k;
        for (int i = 0; i < k; i++) {
            if (held.charAt(from + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
