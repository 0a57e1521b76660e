package dev.cria.cli.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.cli.CliRun;
import dev.cria.data.europarl.Europarl;
import dev.cria.data.europarl.EuroparlDocument;
import dev.cria.testing.ReferenceTool;
import dev.cria.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cria tokenizer encode/decode} with Llama 2's tokenizer.model, against the ids SentencePiece
 * 0.2.1 wrote into the shared vectors and against Debian's spm_encode / spm_decode run beside it.
 */
class EncodeDecodeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static String model;
    static List<EdgeCase> cases;
    /** Europarl bodies, the edge cases without a newline, empty lines, a stray \r and an unterminated last line. */
    static Path mixedText;

    @BeforeAll
    static void readReferences() throws IOException {
        model = SharedData.file("tokenizer/llama2/tokenizer.model").toString();
        cases = EdgeCase.read(SharedData.file("tokenizer/vectors/cases.jsonl"));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (Europarl europarl = Europarl.open()) {
            europarl.stream().limit(1500).map(EuroparlDocument::body)
                    .forEach(body -> text.writeBytes((body + "\n").getBytes(StandardCharsets.UTF_8)));
        }
        for (EdgeCase c : cases) {
            if (!c.hasNewline()) {
                text.writeBytes(c.inputBytes());
                text.write('\n');
            }
        }
        text.writeBytes("\n\nbefore\rafter\n \n\r\nno newline at the end".getBytes(StandardCharsets.UTF_8));
        mixedText = Files.write(dir.resolve("mixed.txt"), text.toByteArray());
    }

    private static ReferenceTool spmEncode() {
        return ReferenceTool.require("spm_encode", "sentencepiece");
    }

    private static ReferenceTool spmDecode() {
        return ReferenceTool.require("spm_decode", "sentencepiece");
    }

    private static List<String> lines(byte[] output) {
        String text = new String(output, StandardCharsets.UTF_8);
        assertTrue(text.isEmpty() || text.endsWith("\n"), "every output line ends with \\n");
        return text.isEmpty() ? List.of() : Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1));
    }

    private static CliRun ok(CliRun run) {
        assertEquals(0, run.exitCode(), run.stderr());
        return run;
    }

    @Test
    void encodesEveryEdgeCaseAsSentencePiece021() throws IOException {
        // Raw bytes, one case per line: every case without a newline byte, invalid UTF-8 included.
        List<EdgeCase> oneLine = cases.stream().filter(c -> !c.hasNewline()).toList();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        oneLine.forEach(c -> {
            raw.writeBytes(c.inputBytes());
            raw.write('\n');
        });
        List<String> rawOut = lines(ok(CliRun.run(raw.toByteArray(), "tokenizer", "encode", "--model", model)).stdout());
        assertEquals(oneLine.stream().map(EdgeCase::idsSpaced).toList(), rawOut);

        // JSON strings: every case that is text, newlines included.
        List<EdgeCase> text = cases.stream().filter(EdgeCase::validUtf8).toList();
        StringBuilder jsonl = new StringBuilder();
        for (EdgeCase c : text) {
            jsonl.append(JSON.writeValueAsString(c.input())).append('\n');
        }
        Path input = Files.writeString(dir.resolve("cases-input.jsonl"), jsonl);
        List<String> jsonOut = lines(ok(CliRun.run("tokenizer", "encode", "--model", model, "--jsonl",
                "--input", input.toString())).stdout());
        assertEquals(text.stream().map(EdgeCase::idsJson).toList(), jsonOut);
        assertEquals(cases.size(), oneLine.size() + text.stream().filter(EdgeCase::hasNewline).count()
                + cases.stream().filter(c -> !c.validUtf8() && c.hasNewline()).count(), "every case is covered");
    }

    @Test
    void printsExactlyWhatSpmEncodePrintsForIdsPiecesAndBosEos() throws Exception {
        byte[] ids = spmEncode().run(mixedText, "--model=" + model, "--output_format=id");
        for (String threads : List.of("1", "3")) {
            CliRun ours = ok(CliRun.run("tokenizer", "encode", "--model", model, "--input", mixedText.toString(),
                    "--threads", threads));
            assertArrayEquals(ids, ours.stdout(), "ids with --threads " + threads);
        }
        byte[] pieces = spmEncode().run(mixedText, "--model=" + model, "--output_format=piece");
        assertArrayEquals(pieces, ok(CliRun.run(Files.readAllBytes(mixedText), "tokenizer", "encode", "--model", model,
                "--pieces")).stdout());
        byte[] bosEos = spmEncode().run(mixedText, "--model=" + model, "--output_format=id",
                "--extra_options=bos:eos");
        assertArrayEquals(bosEos, ok(CliRun.run(Files.readAllBytes(mixedText), "tokenizer", "encode", "--model", model,
                "--bos", "--eos")).stdout());
        byte[] bosPieces = spmEncode().run(mixedText, "--model=" + model, "--output_format=piece",
                "--extra_options=bos");
        assertArrayEquals(bosPieces, ok(CliRun.run(Files.readAllBytes(mixedText), "tokenizer", "encode", "--model",
                model, "--bos", "--pieces")).stdout());
    }

    @Test
    void decodesExactlyWhatSpmDecodeDecodes() throws Exception {
        Path ids = Files.write(dir.resolve("ids.txt"),
                spmEncode().run(mixedText, "--model=" + model, "--output_format=id",
                        "--extra_options=bos:eos"));
        byte[] text = spmDecode().run(ids, "--model=" + model, "--input_format=id");
        for (String threads : List.of("1", "3")) {
            assertArrayEquals(text, ok(CliRun.run("tokenizer", "decode", "--model", model, "--input", ids.toString(),
                    "--threads", threads)).stdout(), "--threads " + threads);
        }
    }

    @Test
    void jsonlRoundTripGivesTheLibrarysDecodedText() throws IOException {
        List<EdgeCase> text = cases.stream().filter(EdgeCase::validUtf8).toList();
        StringBuilder idLines = new StringBuilder();
        for (EdgeCase c : text) {
            idLines.append(c.idsJson()).append('\n');
        }
        List<String> decoded = lines(ok(CliRun.run(idLines.toString().getBytes(StandardCharsets.UTF_8),
                "tokenizer", "decode", "--model", model, "--jsonl")).stdout());
        assertEquals(text.size(), decoded.size());
        for (int i = 0; i < text.size(); i++) {
            assertEquals(text.get(i).decoded(), JSON.readValue(decoded.get(i), String.class), "case " + i);
        }
        // Space-separated ids give the same JSON strings.
        String spaced = text.stream().map(EdgeCase::idsSpaced).collect(Collectors.joining("\n", "", "\n"));
        assertEquals(decoded, lines(ok(CliRun.run(spaced.getBytes(StandardCharsets.UTF_8), "tokenizer", "decode",
                "--model", model, "--jsonl")).stdout()));
    }

    @Test
    void writesToOutputFileAndNothingToStdout() throws IOException {
        Path out = dir.resolve("sub/encoded.txt");
        CliRun run = ok(CliRun.run("Hello world\n".getBytes(StandardCharsets.UTF_8), "tokenizer", "encode",
                "--model", model, "--output", out.toString()));
        assertEquals(0, run.stdout().length);
        // "▁Hello" is 15043 and "▁world" 3186 in Llama 2's vocabulary (llama.cpp's test vectors).
        assertEquals("15043 3186\n", Files.readString(out));
    }

    @Test
    void rejectsAnIdOutsideTheVocabularyNamingTheLine() throws IOException {
        Path out = dir.resolve("never-written.txt");
        CliRun run = CliRun.run("1 2\n15043 32000\n".getBytes(StandardCharsets.UTF_8), "tokenizer", "decode",
                "--model", model, "--output", out.toString(), "--threads", "1");
        assertEquals(1, run.exitCode());
        assertTrue(run.stderr().contains("<stdin> line 2: token id 32000 is outside the vocabulary (ids 0..31999)"),
                run.stderr());
        assertFalse(Files.exists(out), "a failed run leaves no output file");
        try (var left = Files.list(out.getParent())) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains("never-written")), "no temporary file left");
        }
    }

    @Test
    void rejectsTextWhereIdsAreExpected() {
        CliRun run = CliRun.run("15043 world\n".getBytes(StandardCharsets.UTF_8), "tokenizer", "decode", "--model", model);
        assertEquals(1, run.exitCode());
        assertTrue(run.stderr().contains("line 1: column 7: expected a token id (decimal digits), found 'w'"),
                run.stderr());
    }

    @Test
    void rejectsAJsonlLineThatIsNotAJsonString() {
        byte[] input = "\"fine\"\n{\"text\": \"an object\"}\n".getBytes(StandardCharsets.UTF_8);
        CliRun run = CliRun.run(input, "tokenizer", "encode", "--model", model, "--jsonl");
        assertEquals(1, run.exitCode());
        assertTrue(run.stderr().contains("<stdin> line 2: expected a JSON string, found a JSON object"), run.stderr());
        CliRun surrogate = CliRun.run("\"\\ud800\"\n".getBytes(StandardCharsets.UTF_8), "tokenizer", "encode",
                "--model", model, "--jsonl");
        assertEquals(1, surrogate.exitCode());
        assertTrue(surrogate.stderr().contains("unpaired surrogate \\ud800"), surrogate.stderr());
    }

    @Test
    void reportsAMissingOrUnreadableModelFile() throws IOException {
        CliRun missing = CliRun.run("hi\n".getBytes(StandardCharsets.UTF_8), "tokenizer", "encode", "--model",
                dir.resolve("absent.model").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.stderr().contains("no such file: " + dir.resolve("absent.model")), missing.stderr());

        Path garbage = Files.writeString(dir.resolve("garbage.model"), "this is not a tokenizer\n");
        CliRun corrupt = CliRun.run("hi\n".getBytes(StandardCharsets.UTF_8), "tokenizer", "info", "--model",
                garbage.toString());
        assertEquals(1, corrupt.exitCode());
        assertTrue(corrupt.stderr().contains("garbage.model"), corrupt.stderr());
        assertEquals(1, corrupt.stderr().strip().lines().count(), "one message, no stack trace: " + corrupt.stderr());
    }

    @Test
    void infoReportsLlama2sVocabularyAndSpecialIds() {
        List<String> info = lines(ok(CliRun.run("tokenizer", "info", "--model", model)).stdout());
        // Llama 2: 32000 pieces, <unk>=0, <s>=1, </s>=2, byte pieces <0x00>..<0xFF> at 3..258.
        assertTrue(info.contains("vocab_size: 32000"), info.toString());
        assertTrue(info.contains("bos_id: 1 <s>"), info.toString());
        assertTrue(info.contains("eos_id: 2 </s>"), info.toString());
        assertTrue(info.contains("unk_id: 0 <unk>"), info.toString());
        assertTrue(info.stream().anyMatch(l -> l.startsWith("token_types: ") && l.contains("BYTE=256")
                && l.contains("CONTROL=2") && l.contains("UNKNOWN=1")), info.toString());
    }
}
