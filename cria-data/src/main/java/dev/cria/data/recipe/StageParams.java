package dev.cria.data.recipe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parameters a recipe gives one stage, read by the stage's factory through typed getters. Every error names the
 * recipe file and the key ({@code recipes/ccnet.yaml: stages[2].lid.threshold: expected a number, found "high"}),
 * and a key the factory never asked for is an error too, so a misspelt parameter cannot be silently ignored.
 */
public final class StageParams {
    private final String where;
    private final Map<String, Object> values;
    private final Path baseDir;
    private final Set<String> asked = new LinkedHashSet<>();

    /**
     * @param where the recipe file and the stage's key, for messages: {@code recipes/c4.yaml: stages[0].min_len}
     * @param values the parameters as YAML gave them (String, Number, Boolean, List, Map)
     * @param baseDir relative paths resolve against it (the recipe's folder)
     */
    public StageParams(String where, Map<String, Object> values, Path baseDir) {
        this.where = where;
        this.values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.baseDir = baseDir;
    }

    /** Parameters given in code (tests, programs that build a pipeline without a recipe file). */
    public static StageParams of(String stage, Map<String, Object> values) {
        return new StageParams(stage, values, Path.of(""));
    }

    public String where() {
        return where;
    }

    public boolean has(String key) {
        asked.add(key);
        return values.containsKey(key) && values.get(key) != null;
    }

    public String string(String key, String fallback) {
        Object v = get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw error(key, "expected a string", v);
    }

    public String requiredString(String key) {
        String s = string(key, null);
        if (s == null) {
            throw new RecipeException(where + ": missing required parameter \"" + key + "\"");
        }
        return s;
    }

    public long integer(String key, long fallback) {
        Object v = get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        throw error(key, "expected an integer", v);
    }

    public double number(String key, double fallback) {
        Object v = get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw error(key, "expected a number", v);
    }

    public boolean bool(String key, boolean fallback) {
        Object v = get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw error(key, "expected true or false", v);
    }

    /** A path parameter, resolved against the recipe's folder when relative; null when absent. */
    public Path path(String key) {
        String s = string(key, null);
        return s == null ? null : baseDir.resolve(s).normalize();
    }

    /** A list of strings; a single string counts as a list of one. */
    public List<String> strings(String key) {
        Object v = get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof String || o instanceof Number)) {
                    throw error(key, "expected a list of strings", v);
                }
                out.add(o.toString());
            }
            return out;
        }
        throw error(key, "expected a list of strings", v);
    }

    /** The raw value (String, Number, Boolean, List, Map) for parameters with their own structure. */
    public Object raw(String key) {
        return get(key);
    }

    /** Fails naming every key the factory did not read; the registry calls this after the factory returns. */
    public void requireAllUsed() {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(asked);
        if (!unknown.isEmpty()) {
            throw new RecipeException(where + ": unknown parameter" + (unknown.size() > 1 ? "s " : " ") + unknown
                    + (asked.isEmpty() ? " (this stage takes none)" : " (known: " + asked + ")"));
        }
    }

    /** The values, for fingerprints and messages. */
    public Map<String, Object> values() {
        return values;
    }

    private Object get(String key) {
        asked.add(key);
        return values.get(key);
    }

    private RecipeException error(String key, String expected, Object found) {
        return new RecipeException(where + "." + key + ": " + expected + ", found "
                + (found instanceof String ? "\"" + found + "\"" : String.valueOf(found)));
    }
}
