package dev.cria.cli.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** One case of {@code tokenizer/vectors/cases.jsonl}: input and ids as SentencePiece 0.2.1 encoded it with Llama 2's model. */
record EdgeCase(String input, byte[] inputBytes, boolean validUtf8, int[] ids, String decoded) {

    static List<EdgeCase> read(Path jsonl) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<EdgeCase> cases = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            JsonNode node = mapper.readTree(line);
            JsonNode ids = node.get("ids");
            int[] values = new int[ids.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = ids.get(i).intValue();
            }
            cases.add(new EdgeCase(node.get("input").textValue(), HexFormat.of().parseHex(node.get("input_hex").textValue()),
                    node.get("input_is_valid_utf8").booleanValue(), values, node.get("decoded").textValue()));
        }
        return cases;
    }

    boolean hasNewline() {
        for (byte b : inputBytes) {
            if (b == '\n') {
                return true;
            }
        }
        return false;
    }

    String idsSpaced() {
        return join(ids, " ");
    }

    String idsJson() {
        return "[" + join(ids, ",") + "]";
    }

    private static String join(int[] ids, String separator) {
        StringBuilder text = new StringBuilder();
        for (int id : ids) {
            if (!text.isEmpty()) {
                text.append(separator);
            }
            text.append(id);
        }
        return text.toString();
    }
}
