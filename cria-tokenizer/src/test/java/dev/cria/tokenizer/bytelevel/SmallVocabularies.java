package dev.cria.tokenizer.bytelevel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Small hand-made tokenizer files: the 256 bytes (id = byte value) plus a few merged tokens. */
final class SmallVocabularies {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SmallVocabularies() {
    }

    /** GPT-2's bytes_to_unicode, written out independently of the code under test. */
    static String byteLevel(String text) {
        StringBuilder out = new StringBuilder();
        for (byte value : text.getBytes(StandardCharsets.UTF_8)) {
            out.append(byteLevel(value & 0xFF));
        }
        return out.toString();
    }

    private static char byteLevel(int b) {
        if ((b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255)) {
            return (char) b;
        }
        int shifted = 0;
        for (int c = 0; c < b; c++) {
            if (!((c >= 33 && c <= 126) || (c >= 161 && c <= 172) || (c >= 174 && c <= 255))) {
                shifted++;
            }
        }
        return (char) (256 + shifted);
    }

    /**
     * A tokenizer.json: bytes, then {@code extra} tokens at ids 256.., then {@code merges} ("a b" over plain
     * text), with Llama 3's pre-tokenizer.
     */
    static ObjectNode tokenizerJson(String[] extra, String[] merges, boolean ignoreMerges) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.put("ignore_merges", ignoreMerges);
        ObjectNode vocab = model.putObject("vocab");
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(byteLevel(b)), b);
        }
        for (int i = 0; i < extra.length; i++) {
            vocab.put(byteLevel(extra[i]), 256 + i);
        }
        ArrayNode mergeList = model.putArray("merges");
        for (String merge : merges) {
            String[] pair = merge.split(" ");
            mergeList.add(byteLevel(pair[0]) + " " + byteLevel(pair[1]));
        }
        root.putArray("added_tokens");
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", Llama3PreTokenizer.PATTERN);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        ObjectNode byteLevel = steps.addObject();
        byteLevel.put("type", "ByteLevel");
        byteLevel.put("add_prefix_space", false);
        byteLevel.put("use_regex", false);
        return root;
    }

    /** A tiktoken file: each byte at rank = its value, then {@code extra} at ranks 256.. */
    static String tiktoken(String... extra) {
        StringBuilder out = new StringBuilder();
        Base64.Encoder base64 = Base64.getEncoder();
        for (int b = 0; b < 256; b++) {
            out.append(base64.encodeToString(new byte[] {(byte) b})).append(' ').append(b).append('\n');
        }
        for (int i = 0; i < extra.length; i++) {
            out.append(base64.encodeToString(extra[i].getBytes(StandardCharsets.UTF_8))).append(' ')
                    .append(256 + i).append('\n');
        }
        return out.toString();
    }
}
