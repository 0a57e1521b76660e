package dev.cria.cli.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.cli.CliRun;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --model} takes every format: llama.cpp's 46 test strings encoded through each file, against llama.cpp's ids. */
class ModelFormatsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "tokenizer/llama2/tokenizer.model, tokenizer/vectors/ggml-vocab-llama-spm.gguf",
        "tokenizer/llama2/tokenizer.bin, tokenizer/vectors/ggml-vocab-llama-spm.gguf",
        "tokenizer/llama2/tokenizer.json, tokenizer/vectors/ggml-vocab-llama-spm.gguf",
        "tokenizer/vectors/ggml-vocab-llama-spm.gguf, tokenizer/vectors/ggml-vocab-llama-spm.gguf",
        "tokenizer/llama3/tokenizer.json, tokenizer/vectors/ggml-vocab-llama-bpe.gguf",
    })
    void encodesLlamaCppVectorsThroughEveryModelFormat(String model, String vectors) throws IOException {
        // .inp: each string followed by a line "__ggml_vocab_test__"; .out: its ids, space-separated.
        String inp = Files.readString(SharedData.file(vectors + ".inp"));
        List<String> strings = Arrays.asList(inp.split("\n__ggml_vocab_test__\n", -1)).subList(0, 46);
        List<String> expected = Files.readAllLines(SharedData.file(vectors + ".out")).stream()
                .map(line -> "[" + line.strip().replace(' ', ',') + "]").toList();
        assertEquals(46, expected.size());

        ObjectMapper json = new ObjectMapper();
        StringBuilder input = new StringBuilder();
        for (String s : strings) {
            input.append(json.writeValueAsString(s)).append('\n');
        }
        CliRun run = CliRun.run(input.toString().getBytes(StandardCharsets.UTF_8), "tokenizer", "encode",
                "--model", SharedData.file(model).toString(), "--jsonl");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(expected, run.out().lines().toList());
    }
}
