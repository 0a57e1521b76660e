package dev.cria.tokenizer.bytelevel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.TokenizerFormatException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a byte-level BPE from an HF {@code tokenizer.json}.
 *
 * <p>Accepted: {@code model.type} "BPE" without dropout, subword prefix or word suffix; no normalizer; as
 * pre-tokenizer either ByteLevel alone (GPT-2's split regex when {@code use_regex}) or a Sequence of one
 * "Isolated" Split by regex and a ByteLevel without regex (Llama 3's). Anything else is refused by name, as
 * it would tokenize differently.
 *
 * <ul>
 *   <li>{@code model.vocab}: byte-level spelling → id, all NORMAL;
 *   <li>{@code model.merges}: "left right" strings or [left, right] arrays, see {@link MergeRules} for how ids
 *       become ranks;
 *   <li>{@code added_tokens}: CONTROL when {@code special}, else USER_DEFINED; an added token may repeat a
 *       vocab entry with the same text and id;
 *   <li>{@code model.ignore_merges}: look chunks up whole before merging (Llama 3 sets it);
 *   <li>BOS/EOS: {@code <|begin_of_text|>}/{@code <|end_of_text|>} when present (tokenizer.json itself does not
 *       say; {@code tokenizer_config.json} does).
 * </ul>
 * Ids must cover {@code [0, n)} with no gap.
 */
final class TokenizerJson {

    private TokenizerJson() {
    }

    static ByteLevelBpe read(JsonNode root, String source) throws TokenizerFormatException {
        JsonNode model = object(root, "model", source);
        String type = model.path("type").asText("BPE");
        if (!type.equals("BPE")) {
            throw new TokenizerFormatException(source + ": model.type is '" + type + "', expected 'BPE'");
        }
        refuseSet(model, "dropout", source);
        refuseSet(model, "continuing_subword_prefix", source);
        refuseSet(model, "end_of_word_suffix", source);
        if (!root.path("normalizer").isMissingNode() && !root.path("normalizer").isNull()) {
            throw new TokenizerFormatException(source + ": normalizer " + root.get("normalizer").path("type")
                    + " is not supported by the byte-level BPE (expected none)");
        }
        PreTokenizer preTokenizer = preTokenizer(root.path("pre_tokenizer"), source);

        JsonNode vocab = object(model, "vocab", source);
        Map<String, Integer> ids = new HashMap<>(vocab.size() * 2);
        Map<Integer, String> pieces = new HashMap<>(vocab.size() * 2);
        int size = 0;
        for (Map.Entry<String, JsonNode> entry : vocab.properties()) {
            int id = id(entry.getValue(), "model.vocab['" + entry.getKey() + "']", source);
            String previous = pieces.putIfAbsent(id, entry.getKey());
            if (previous != null) {
                throw new TokenizerFormatException(source + ": model.vocab gives id " + id + " to both '"
                        + previous + "' and '" + entry.getKey() + "'");
            }
            ids.put(entry.getKey(), id);
            size = Math.max(size, id + 1);
        }
        JsonNode added = root.path("added_tokens");
        for (int i = 0; i < added.size(); i++) {
            size = Math.max(size, id(added.get(i).path("id"), "added_tokens[" + i + "].id", source) + 1);
        }

        byte[][] tokens = new byte[size][];
        TokenType[] types = new TokenType[size];
        for (Map.Entry<Integer, String> entry : pieces.entrySet()) {
            byte[] bytes = ByteLevelAlphabet.toBytes(entry.getValue());
            if (bytes == null) {
                throw new TokenizerFormatException(source + ": model.vocab['" + entry.getValue() + "'] (id "
                        + entry.getKey() + ") holds a character outside GPT-2's byte-level alphabet");
            }
            tokens[entry.getKey()] = bytes;
            types[entry.getKey()] = TokenType.NORMAL;
        }
        for (int i = 0; i < added.size(); i++) {
            JsonNode token = added.get(i);
            int id = token.path("id").asInt();
            String content = token.path("content").asText(null);
            if (content == null) {
                throw new TokenizerFormatException(source + ": added_tokens[" + i + "] has no 'content'");
            }
            String inVocab = pieces.get(id);
            if (inVocab != null && !inVocab.equals(content)) {
                throw new TokenizerFormatException(source + ": added_tokens[" + i + "] '" + content + "' has id "
                        + id + ", which model.vocab gives to '" + inVocab + "'");
            }
            tokens[id] = content.getBytes(StandardCharsets.UTF_8);
            types[id] = token.path("special").asBoolean(false) ? TokenType.CONTROL : TokenType.USER_DEFINED;
            if (inVocab != null) {
                ids.remove(inVocab);
            }
        }
        for (int id = 0; id < size; id++) {
            if (tokens[id] == null) {
                throw new TokenizerFormatException(source + ": no token has id " + id
                        + " (ids must cover 0.." + (size - 1) + ")");
            }
        }

        ByteLevelBpe.MergeList mergeList = null;
        JsonNode merges = model.path("merges");
        if (merges.size() > 0) {
            int[] lefts = new int[merges.size()];
            int[] rights = new int[merges.size()];
            for (int k = 0; k < merges.size(); k++) {
                String[] pair = mergePair(merges.get(k), k, source);
                lefts[k] = ByteLevelBpe.pieceId(ids, pair[0], source, "model.merges", k);
                rights[k] = ByteLevelBpe.pieceId(ids, pair[1], source, "model.merges", k);
            }
            mergeList = new ByteLevelBpe.MergeList(lefts, rights, "model.merges");
        }
        ByteLevelBpe.WholeChunkLookup lookup = model.path("ignore_merges").asBoolean(false)
                ? ByteLevelBpe.WholeChunkLookup.ALWAYS
                : ByteLevelBpe.WholeChunkLookup.NEVER;
        return ByteLevelBpe.assemble(source, tokens, types, mergeList, lookup, preTokenizer);
    }

    private static PreTokenizer preTokenizer(JsonNode node, String source) throws TokenizerFormatException {
        String type = node.path("type").asText("");
        if (type.equals("ByteLevel")) {
            refuseAddPrefixSpace(node, "pre_tokenizer", source);
            if (node.path("use_regex").asBoolean(true)) {
                return new RegexPreTokenizer(RegexPreTokenizer.GPT2_PATTERN);
            }
            throw new TokenizerFormatException(source + ": pre_tokenizer is ByteLevel without regex; "
                    + "expected a split rule (use_regex, or a Split before it)");
        }
        JsonNode steps = node.path("pretokenizers");
        if (type.equals("Sequence") && steps.size() == 2
                && steps.get(0).path("type").asText("").equals("Split")
                && steps.get(1).path("type").asText("").equals("ByteLevel")) {
            JsonNode split = steps.get(0);
            JsonNode byteLevel = steps.get(1);
            refuseAddPrefixSpace(byteLevel, "pre_tokenizer.pretokenizers[1]", source);
            if (byteLevel.path("use_regex").asBoolean(true)) {
                throw new TokenizerFormatException(source + ": pre_tokenizer.pretokenizers[1] ByteLevel with "
                        + "use_regex after a Split is not supported");
            }
            String pattern = split.path("pattern").path("Regex").asText(null);
            if (pattern == null || !split.path("behavior").asText("").equals("Isolated")
                    || split.path("invert").asBoolean(false)) {
                throw new TokenizerFormatException(source + ": pre_tokenizer.pretokenizers[0] must be a Split by "
                        + "Regex with behavior Isolated and invert false, got " + split);
            }
            if (pattern.equals(Llama3PreTokenizer.PATTERN)) {
                return Llama3PreTokenizer.INSTANCE;
            }
            try {
                return new RegexPreTokenizer(pattern);
            } catch (PatternSyntaxException e) {
                throw new TokenizerFormatException(source + ": pre_tokenizer split pattern is not a valid regex: "
                        + e.getMessage(), e);
            }
        }
        throw new TokenizerFormatException(source + ": pre_tokenizer " + (node.isMissingNode() ? "(none)" : node)
                + " is not supported; expected ByteLevel, or Sequence[Split(Regex), ByteLevel]");
    }

    private static String[] mergePair(JsonNode merge, int k, String source) throws TokenizerFormatException {
        if (merge.isTextual()) {
            String text = merge.asText();
            int space = text.indexOf(' ');
            if (space > 0 && space == text.lastIndexOf(' ') && space < text.length() - 1) {
                return new String[] {text.substring(0, space), text.substring(space + 1)};
            }
        } else if (merge.isArray() && merge.size() == 2 && merge.get(0).isTextual() && merge.get(1).isTextual()) {
            return new String[] {merge.get(0).asText(), merge.get(1).asText()};
        }
        throw new TokenizerFormatException(source + ": model.merges[" + k + "] is " + merge
                + ", expected \"left right\" or [\"left\", \"right\"]");
    }

    private static JsonNode object(JsonNode parent, String field, String source) throws TokenizerFormatException {
        JsonNode node = parent.path(field);
        if (!node.isObject()) {
            throw new TokenizerFormatException(source + ": '" + field + "' is "
                    + (node.isMissingNode() ? "missing" : node.getNodeType().toString().toLowerCase())
                    + ", expected an object");
        }
        return node;
    }

    private static int id(JsonNode node, String where, String source) throws TokenizerFormatException {
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0) {
            throw new TokenizerFormatException(source + ": " + where + " is " + node + ", expected an id >= 0");
        }
        return node.asInt();
    }

    private static void refuseSet(JsonNode model, String field, String source) throws TokenizerFormatException {
        JsonNode value = model.path(field);
        boolean unset = value.isMissingNode() || value.isNull()
                || (value.isTextual() && value.asText().isEmpty())
                || (value.isNumber() && value.asDouble() == 0.0);
        if (!unset) {
            throw new TokenizerFormatException(source + ": model." + field + " = " + value
                    + " is not supported by the byte-level BPE");
        }
    }

    private static void refuseAddPrefixSpace(JsonNode byteLevel, String where, String source)
            throws TokenizerFormatException {
        if (byteLevel.path("add_prefix_space").asBoolean(false)) {
            throw new TokenizerFormatException(source + ": " + where + " has add_prefix_space true, which is "
                    + "not supported");
        }
    }
}
