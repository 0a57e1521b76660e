package dev.cria.tokenizer.spm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Readers for the reference vector files in shared/data/tokenizer/vectors. */
final class VectorFiles {
    private VectorFiles() {
    }

    /** One reference case: input bytes and the expected ids (no BOS). */
    record Case(byte[] input, int[] ids, String decoded) {
        String label() {
            String s = new String(input, StandardCharsets.UTF_8);
            return s.length() > 40 ? s.substring(0, 40) + "..." : s;
        }
    }

    /** llama.cpp's .inp/.out pair: cases separated by "\n__ggml_vocab_test__\n", one line of ids per case. */
    static List<Case> ggml(Path inp, Path out) throws IOException {
        String text = Files.readString(inp, StandardCharsets.UTF_8);
        String[] inputs = text.split("\n__ggml_vocab_test__\n", -1);
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            int[] ids = line.isEmpty() ? new int[0] : Arrays.stream(line.split("\\s+")).mapToInt(Integer::parseInt).toArray();
            cases.add(new Case(inputs[i].getBytes(StandardCharsets.UTF_8), ids, null));
        }
        return cases;
    }

    /** cases.jsonl: input_hex (exact bytes, possibly invalid UTF-8), ids, decoded. */
    static List<Case> jsonl(Path file) throws IOException {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            var node = mapper.readTree(line);
            byte[] input = HexFormat.of().parseHex(node.get("input_hex").asText());
            int[] ids = new int[node.get("ids").size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = node.get("ids").get(i).asInt();
            }
            cases.add(new Case(input, ids, node.get("decoded").asText()));
        }
        return cases;
    }

    /** A *.cases.out file: one line of space-separated ids per line of cases.inp. */
    static List<int[]> idLines(Path file) throws IOException {
        List<int[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.trim();
            out.add(t.isEmpty() ? new int[0] : Arrays.stream(t.split(" ")).mapToInt(Integer::parseInt).toArray());
        }
        return out;
    }
}
