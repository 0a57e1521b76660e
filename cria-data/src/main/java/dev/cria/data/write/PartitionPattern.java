package dev.cria.data.write;

import dev.cria.data.Document;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Names the subfolder a document is written to from its meta fields: {@code "{language}_{bucket}"} gives
 * {@code en_head}, as CCNet splits its output by language and perplexity bucket (DATA-RULES §2.7). A missing or
 * empty field reads {@code none}; characters other than letters, digits, {@code -}, {@code _} and {@code .} become
 * {@code _}, so a value never makes a path.
 */
public final class PartitionPattern implements Serializable {
    private final String pattern;
    private final List<String> literals = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();

    public PartitionPattern(String pattern) {
        this.pattern = pattern;
        int i = 0;
        StringBuilder literal = new StringBuilder();
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '{') {
                int end = pattern.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("partition pattern \"" + pattern + "\": '{' at " + i + " is not closed");
                }
                String key = pattern.substring(i + 1, end).trim();
                if (key.isEmpty()) {
                    throw new IllegalArgumentException("partition pattern \"" + pattern + "\": empty {} at " + i);
                }
                literals.add(literal.toString());
                literal.setLength(0);
                keys.add(key);
                i = end + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        literals.add(literal.toString());
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("partition pattern \"" + pattern + "\" names no field: write e.g. {language}");
        }
    }

    public String folder(Document d) {
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < keys.size(); k++) {
            out.append(literals.get(k));
            Object v = d.meta().get(keys.get(k));
            String s = v == null ? "" : v.toString();
            out.append(s.isEmpty() ? "none" : s);
        }
        out.append(literals.getLast());
        StringBuilder safe = new StringBuilder(out.length());
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            safe.append(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '_');
        }
        String name = safe.toString();
        return name.equals(".") || name.equals("..") ? "_" : name;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
