package dev.cria.model.convert;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.testing.LlamaCpp;
import dev.cria.testing.ReferenceTool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** llama.cpp itself (node-llama-cpp's CPU build, through {@code tools/llama-cpp/generate.mjs}) as the judge of written files. */
public final class LlamaCppPeer {
    private LlamaCppPeer() {
    }

    /** The {@code n} greedy tokens llama.cpp generates after {@code prompt}; skips when llama.cpp is not installed. */
    public static int[] greedy(Path model, int[] prompt, int n) throws IOException {
        LlamaCpp.nodeModule();
        Path script = LlamaCpp.toolsDir().resolve("generate.mjs");
        ReferenceTool node = ReferenceTool.find("node");
        String tokens = Arrays.stream(prompt).mapToObj(Integer::toString).collect(Collectors.joining(" "));
        byte[] out;
        try {
            out = node.run(null, script.toString(), "--model", model.toString(), "--tokens", tokens, "--n", Integer.toString(n),
                    "--threads", "1");
        } catch (IOException e) {
            fail("llama.cpp could not run " + model + ": " + e.getMessage());
            throw e;
        }
        return new ObjectMapper().readValue(out, int[].class);
    }
}
