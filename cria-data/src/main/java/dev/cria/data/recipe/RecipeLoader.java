package dev.cria.data.recipe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cria.data.read.JsonValues;
import dev.cria.data.read.ReaderKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a recipe file (YAML):
 *
 * <pre>
 * name: ccnet
 * seed: 0
 * threads: 0                 # 0: all cores
 * sources:
 *   - name: commoncrawl
 *     reader: wet            # wet | warc | jsonl | github | wikipedia | books | arxiv | stackexchange
 *     slice_mb: 256          # optional: cut uncompressed files into slices of about 256 MB, one shard each
 *     options: {text: ccnet}
 *     input: ["wet/*.warc.wet.gz"]
 * stages:
 *   - min_len: {chars: 300}
 *   - sample                 # a stage without parameters
 * output:
 *   format: jsonl.gz         # or jsonl.zst
 *   partition: "{language}_{bucket}"
 * </pre>
 *
 * Unknown keys, unknown stages and unknown parameters are errors that name the file and the key, checked before any
 * input is read.
 */
public final class RecipeLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP = Set.of("name", "seed", "threads", "sources", "stages", "output");
    private static final Set<String> SOURCE = Set.of("name", "reader", "input", "options", "slice_mb");
    private static final Set<String> OUTPUT = Set.of("format", "partition", "dir");

    private RecipeLoader() {
    }

    public static Recipe load(Path file, StageRegistry registry) throws IOException {
        String text = Files.readString(file);
        return parse(text, file, registry);
    }

    /** Parses recipe text; {@code file} names it in messages and its folder resolves relative paths. */
    public static Recipe parse(String text, Path file, StageRegistry registry) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new RecipeException(file + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""), e);
        }
        if (root == null || !root.isObject()) {
            throw new RecipeException(file + ": expected a mapping with sources, stages and output");
        }
        checkKeys(file, "", root, TOP);
        Path dir = file.toAbsolutePath().getParent();
        String fileName = file.getFileName().toString();
        String name = root.has("name") ? scalar(file, "name", root.get("name")) : fileName.replaceFirst("\\.ya?ml$", "");
        long seed = root.has("seed") ? integer(file, "seed", root.get("seed")) : 0;
        int threads = root.has("threads") ? (int) integer(file, "threads", root.get("threads")) : 0;
        if (threads < 0) {
            throw new RecipeException(file + ": threads: expected 0 (all cores) or more, found " + threads);
        }

        JsonNode sourcesNode = root.get("sources");
        if (sourcesNode == null || !sourcesNode.isArray() || sourcesNode.isEmpty()) {
            throw new RecipeException(file + ": sources: expected a list of at least one source");
        }
        List<Recipe.Source> sources = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < sourcesNode.size(); i++) {
            String key = "sources[" + i + "]";
            JsonNode s = sourcesNode.get(i);
            if (!s.isObject()) {
                throw new RecipeException(file + ": " + key + ": expected a mapping with name, reader, input");
            }
            checkKeys(file, key + ".", s, SOURCE);
            String sourceName = s.has("name") ? scalar(file, key + ".name", s.get("name")) : null;
            if (sourceName == null || sourceName.isEmpty()) {
                throw new RecipeException(file + ": " + key + ".name: missing");
            }
            if (!names.add(sourceName)) {
                throw new RecipeException(file + ": " + key + ".name: source \"" + sourceName + "\" appears twice");
            }
            if (!s.has("reader")) {
                throw new RecipeException(file + ": " + key + ".reader: missing (one of " + ReaderKind.known() + ")");
            }
            String readerName = scalar(file, key + ".reader", s.get("reader"));
            ReaderKind reader;
            try {
                reader = ReaderKind.valueOf(readerName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new RecipeException(file + ": " + key + ".reader: unknown reader \"" + readerName + "\" (known: " + ReaderKind.known() + ")");
            }
            List<String> inputs = new ArrayList<>();
            JsonNode in = s.get("input");
            if (in != null && in.isArray()) {
                for (int j = 0; j < in.size(); j++) {
                    inputs.add(scalar(file, key + ".input[" + j + "]", in.get(j)));
                }
            } else if (in != null && !in.isNull()) {
                inputs.add(scalar(file, key + ".input", in));
            }
            Map<String, String> options = new LinkedHashMap<>();
            JsonNode opts = s.get("options");
            if (opts != null && !opts.isNull()) {
                if (!opts.isObject()) {
                    throw new RecipeException(file + ": " + key + ".options: expected a mapping");
                }
                Map<String, List<String>> allowed = reader.optionNames();
                for (Iterator<Map.Entry<String, JsonNode>> it = opts.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String optKey = key + ".options." + e.getKey();
                    if (!allowed.containsKey(e.getKey())) {
                        throw new RecipeException(file + ": " + optKey + ": unknown option for reader " + reader.key()
                                + (allowed.isEmpty() ? " (it takes none)" : " (known: " + new TreeSet<>(allowed.keySet()) + ")"));
                    }
                    String v = scalar(file, optKey, e.getValue());
                    List<String> values = allowed.get(e.getKey());
                    if (!values.isEmpty() && !values.contains(v)) {
                        throw new RecipeException(file + ": " + optKey + ": \"" + v + "\" is not one of " + values);
                    }
                    options.put(e.getKey(), v);
                }
            }
            long sliceBytes = 0;
            if (s.has("slice_mb")) {
                JsonNode mb = s.get("slice_mb");
                if (!mb.isNumber() || mb.doubleValue() <= 0) {
                    throw new RecipeException(file + ": " + key + ".slice_mb: expected a positive number of megabytes, found " + mb);
                }
                if (reader != ReaderKind.WET && reader != ReaderKind.JSONL) {
                    throw new RecipeException(file + ": " + key + ".slice_mb: the " + reader.key() + " reader reads whole files only");
                }
                sliceBytes = Math.max(1, Math.round(mb.doubleValue() * 1e6));
            }
            sources.add(new Recipe.Source(sourceName, reader, List.copyOf(inputs), Map.copyOf(options), sliceBytes));
        }

        List<Recipe.StageSpec> stages = new ArrayList<>();
        JsonNode stagesNode = root.get("stages");
        if (stagesNode != null && !stagesNode.isNull()) {
            if (!stagesNode.isArray()) {
                throw new RecipeException(file + ": stages: expected a list");
            }
            for (int i = 0; i < stagesNode.size(); i++) {
                String key = "stages[" + i + "]";
                JsonNode st = stagesNode.get(i);
                String stageName;
                Map<String, Object> params = new LinkedHashMap<>();
                if (st.isTextual()) {
                    stageName = st.textValue();
                } else if (st.isObject() && st.size() == 1) {
                    Map.Entry<String, JsonNode> e = st.fields().next();
                    stageName = e.getKey();
                    JsonNode p = e.getValue();
                    if (p != null && !p.isNull()) {
                        if (!p.isObject()) {
                            throw new RecipeException(file + ": " + key + "." + stageName + ": expected a mapping of parameters");
                        }
                        @SuppressWarnings("unchecked")
                        Map<String, Object> m = (Map<String, Object>) JsonValues.toJava(p);
                        params.putAll(m);
                    }
                } else {
                    throw new RecipeException(file + ": " + key + ": expected a stage name, or one \"name: {parameters}\" entry");
                }
                Recipe.StageSpec spec = new Recipe.StageSpec(stageName, key, params);
                // Build once now so that unknown stages and parameters fail before any input is read.
                instantiate(spec, file, dir, registry);
                stages.add(spec);
            }
        }

        String format = "jsonl.gz";
        String partition = null;
        String outDir = null;
        JsonNode out = root.get("output");
        if (out != null && !out.isNull()) {
            if (!out.isObject()) {
                throw new RecipeException(file + ": output: expected a mapping with format and partition");
            }
            checkKeys(file, "output.", out, OUTPUT);
            if (out.has("format")) {
                format = scalar(file, "output.format", out.get("format"));
                if (!format.equals("jsonl.gz") && !format.equals("jsonl.zst")) {
                    throw new RecipeException(file + ": output.format: \"" + format + "\" is not jsonl.gz or jsonl.zst");
                }
            }
            if (out.has("partition")) {
                partition = scalar(file, "output.partition", out.get("partition"));
                try {
                    new dev.cria.data.write.PartitionPattern(partition);
                } catch (IllegalArgumentException e) {
                    throw new RecipeException(file + ": output.partition: " + e.getMessage());
                }
            }
            if (out.has("dir")) {
                outDir = scalar(file, "output.dir", out.get("dir"));
            }
        }
        return new Recipe(file, dir, name, seed, threads, List.copyOf(sources), List.copyOf(stages),
                new Recipe.Output(format, partition, outDir));
    }

    /** A fresh stage object for {@code spec} (each engine run builds its own, so no state is shared). */
    public static PlannedStage instantiate(Recipe.StageSpec spec, Path file, Path dir, StageRegistry registry) {
        return registry.create(spec.name(), new StageParams(file + ": " + spec.key() + "." + spec.name(), spec.params(), dir));
    }

    private static void checkKeys(Path file, String prefix, JsonNode node, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new RecipeException(file + ": " + prefix + k + ": unknown key (known: " + new TreeSet<>(allowed) + ")");
            }
        }
    }

    private static String scalar(Path file, String key, JsonNode node) {
        if (node == null || !node.isValueNode() || node.isNull()) {
            throw new RecipeException(file + ": " + key + ": expected a single value");
        }
        return node.asText();
    }

    private static long integer(Path file, String key, JsonNode node) {
        if (node == null || !node.canConvertToLong() || !node.isIntegralNumber()) {
            throw new RecipeException(file + ": " + key + ": expected an integer, found " + node);
        }
        return node.longValue();
    }
}
