package dev.cria.tokenizer.spm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cria.testing.ReferenceTool;
import dev.cria.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import dev.cria.tokenizer.TokenType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Live comparison with SentencePiece's own spm_encode/spm_decode (Debian package sentencepiece) on real text,
 * random text over a tricky alphabet, and random bytes.
 */
class SentencePieceDifferentialTest {

    static List<byte[]> inputs() throws Exception {
        List<byte[]> lines = new ArrayList<>();
        for (String l : Files.readAllLines(SharedData.file("tokenizer/spm-trained/botchan.txt"), StandardCharsets.UTF_8)) {
            lines.add(l.getBytes(StandardCharsets.UTF_8));
        }
        for (String l : TrickyText.lines(7, 3000, 30)) {
            lines.add(l.getBytes(StandardCharsets.UTF_8));
        }
        lines.addAll(TrickyText.byteLines(11, 1000, 20));
        return lines;
    }

    static Path writeLines(Path dir, List<byte[]> lines) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] l : lines) {
            out.writeBytes(l);
            out.write('\n');
        }
        Path f = dir.resolve("input.txt");
        Files.write(f, out.toByteArray());
        return f;
    }

    /** Compares encoding of every input line with spm_encode's, for one model file. */
    static void assertEncodesLikeSpmEncode(Path model, List<byte[]> lines, Path dir) throws Exception {
        ReferenceTool spmEncode = ReferenceTool.require("spm_encode", "sentencepiece");
        SentencePieceModel ours = SentencePieceModel.load(model);
        Path input = writeLines(dir, lines);
        List<String> expected = spmEncode.runLines(input, "--model=" + model, "--output_format=id");
        assertEquals(lines.size(), expected.size());
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < lines.size() && mismatches.size() < 10; i++) {
            String got = Arrays.stream(ours.encode(lines.get(i))).mapToObj(Integer::toString).collect(Collectors.joining(" "));
            if (!got.equals(expected.get(i))) {
                mismatches.add("line " + (i + 1) + " [" + new String(lines.get(i), StandardCharsets.UTF_8) + "]: spm " + expected.get(i) + " | cria " + got);
            }
        }
        assertEquals(List.of(), mismatches, model.toString());
    }

    @Test
    void encodesHugeLinesLikeSpmEncode(@TempDir Path dir) throws Exception {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        StringBuilder noSpaces = new StringBuilder();
        for (int i = 0; i < 300_000; i++) {
            noSpaces.append((char) ('a' + r.nextInt(6)));
        }
        StringBuilder words = new StringBuilder();
        while (words.length() < 1_000_000) {
            words.append(TrickyText.lines(r.nextLong(), 1, 8).getFirst()).append(' ');
        }
        List<byte[]> lines = List.of(noSpaces.toString().getBytes(StandardCharsets.UTF_8), words.toString().getBytes(StandardCharsets.UTF_8),
                "\u4e2d\u6587".repeat(50_000).getBytes(StandardCharsets.UTF_8));
        assertEncodesLikeSpmEncode(SharedData.file("tokenizer/llama2/tokenizer.model"), lines, dir);
    }

    @Test
    void splitsUnusedPiecesBackLikeSpmEncode(@TempDir Path dir) throws Exception {
        ModelProto base = ModelProto.read(SharedData.file("tokenizer/spm-trained/botchan_bpe1k_llamaopts.model"));
        List<ModelProto.Piece> pieces = new ArrayList<>(base.pieces());
        for (int id = 259; id < pieces.size(); id += 7) {
            ModelProto.Piece p = pieces.get(id);
            if (p.piece().codePointCount(0, p.piece().length()) > 1) {
                pieces.set(id, new ModelProto.Piece(p.piece(), p.score(), TokenType.UNUSED));
            }
        }
        Path model = dir.resolve("unused.model");
        new ModelProto(pieces, base.trainerSpec(), base.normalizerSpec(), null, null).write(model);
        assertEncodesLikeSpmEncode(model, inputs(), dir);
    }

    @Test
    void encodesUnigramModelsLikeSpmEncode(@TempDir Path dir) throws Exception {
        ReferenceTool spmTrain = ReferenceTool.require("spm_train", "sentencepiece");
        Path corpus = SharedData.file("tokenizer/spm-trained/botchan.txt");
        for (String options : List.of("--normalization_rule_name=identity --byte_fallback=true --split_digits=true",
                "--user_defined_symbols=<sep>,the --control_symbols=<cls>")) {
            String prefix = dir.resolve("unigram" + options.length()).toString();
            List<String> args = new ArrayList<>(List.of("--input=" + corpus, "--model_prefix=" + prefix, "--model_type=unigram",
                    "--vocab_size=800", "--num_threads=1"));
            args.addAll(List.of(options.split(" ")));
            spmTrain.run(null, args.toArray(String[]::new));
            assertEncodesLikeSpmEncode(Path.of(prefix + ".model"), inputs(), dir);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama2/tokenizer.model", "spm-trained/botchan_bpe1k_llamaopts.model", "spm-trained/corpus40M_bpe8k_llamaopts.model",
        "spm-trained/botchan_bpe1k_default.model"})
    void encodesAndDecodesLikeSpmEncode(String name, @TempDir Path dir) throws Exception {
        ReferenceTool spmEncode = ReferenceTool.require("spm_encode", "sentencepiece");
        ReferenceTool spmDecode = ReferenceTool.require("spm_decode", "sentencepiece");
        Path model = SharedData.file("tokenizer/" + name);
        SentencePieceModel ours = SentencePieceModel.load(model);
        List<byte[]> lines = inputs();
        Path input = writeLines(dir, lines);
        List<String> expected = spmEncode.runLines(input, "--model=" + model, "--output_format=id");
        assertEquals(lines.size(), expected.size());
        List<String> mismatches = new ArrayList<>();
        StringBuilder idsFile = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String got = Arrays.stream(ours.encode(lines.get(i))).mapToObj(Integer::toString).collect(Collectors.joining(" "));
            if (!got.equals(expected.get(i)) && mismatches.size() < 10) {
                mismatches.add("line " + (i + 1) + " [" + new String(lines.get(i), StandardCharsets.UTF_8) + "]: spm " + expected.get(i) + " | cria " + got);
            }
            idsFile.append(expected.get(i)).append('\n');
        }
        assertEquals(List.of(), mismatches, name);

        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, idsFile);
        List<String> decoded = spmDecode.runLines(ids, "--model=" + model, "--input_format=id");
        for (int i = 0; i < lines.size(); i++) {
            String line = expected.get(i);
            int[] idArray = line.isEmpty() ? new int[0] : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray();
            if (!ours.decode(idArray).equals(decoded.get(i)) && mismatches.size() < 10) {
                mismatches.add("decode line " + (i + 1) + ": spm [" + decoded.get(i) + "] cria [" + ours.decode(idArray) + "]");
            }
        }
        assertEquals(List.of(), mismatches, name + " decode");
    }
}
