package dev.cria.tokenizer.spm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.testing.SharedData;
import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.Tokenizer;
import dev.cria.tokenizer.TokenizerFormatException;
import dev.cria.tokenizer.TokenizerLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same Llama 2 vocabulary in SentencePiece, llama2.c and Hugging Face files must tokenize identically. */
class TokenizerFileFormatsTest {

    private static List<byte[]> sampleInputs() throws Exception {
        List<byte[]> inputs = new java.util.ArrayList<>();
        for (var c : VectorFiles.jsonl(SharedData.file("tokenizer/vectors/cases.jsonl"))) {
            inputs.add(c.input());
        }
        for (String line : Files.readAllLines(SharedData.file("tokenizer/spm-trained/botchan.txt")).subList(0, 400)) {
            inputs.add(line.getBytes(StandardCharsets.UTF_8));
        }
        return inputs;
    }

    @Test
    void readsTheProtoDefaultsOfLlamasModel() throws Exception {
        ModelProto proto = ModelProto.read(SharedData.file("tokenizer/llama2/tokenizer.model"));
        assertEquals(32000, proto.pieces().size());
        assertEquals(ModelType.BPE, proto.trainerSpec().modelType());
        assertTrue(proto.trainerSpec().byteFallback());
        assertEquals(-1, proto.trainerSpec().padId());
        assertEquals("identity", proto.normalizerSpec().name());
        assertTrue(proto.normalizerSpec().escapeWhitespaces(), "absent escape_whitespaces means true");
        assertEquals(false, proto.normalizerSpec().removeExtraWhitespaces());
        assertEquals(new ModelProto.Piece("\u2581t", -1f, TokenType.NORMAL), proto.pieces().get(260));
        assertEquals(-1e9f, proto.pieces().get(29871).score());
        assertEquals(TokenType.BYTE, proto.pieces().get(3).type());
    }

    @Test
    void writesModelsThatReadBackIdentically(@TempDir Path dir) throws Exception {
        for (String name : List.of("llama2/tokenizer.model", "spm-trained/botchan_bpe1k_llamaopts.model",
                "spm-trained/botchan_bpe1k_default.model", "spm-trained/corpus40M_bpe8k_llamaopts.model")) {
            Path src = SharedData.file("tokenizer/" + name);
            ModelProto a = ModelProto.read(src);
            Path copy = dir.resolve("copy.model");
            a.write(copy);
            ModelProto b = ModelProto.read(copy);
            assertEquals(a.pieces(), b.pieces(), name);
            assertEquals(a.trainerSpec(), b.trainerSpec(), name);
            assertEquals(a.normalizerSpec(), b.normalizerSpec(), name);
            assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(copy), name + " byte for byte");
        }
    }

    @Test
    void llama2cTokenizerBinEncodesLikeTheSentencePieceModel() throws Exception {
        Tokenizer spm = TokenizerLoader.load(SharedData.file("tokenizer/llama2/tokenizer.model"));
        Tokenizer bin = TokenizerLoader.load(SharedData.file("tokenizer/llama2/tokenizer.bin"));
        assertEquals(TokenizerLoader.Format.LLAMA2C, TokenizerLoader.detect(SharedData.file("tokenizer/llama2/tokenizer.bin")));
        assertEquals(spm.vocabSize(), bin.vocabSize());
        for (int id = 0; id < spm.vocabSize(); id++) {
            assertEquals(spm.piece(id), bin.piece(id), "piece " + id);
            assertEquals(spm.type(id), bin.type(id), "type " + id);
        }
        for (byte[] in : sampleInputs()) {
            assertArrayEquals(spm.encode(in), bin.encode(in), new String(in, StandardCharsets.UTF_8));
        }
        assertEquals(1, bin.bosId());
        assertEquals(2, bin.eosId());
    }

    @Test
    void writesLlama2cTokenizersThatLlama2cWouldRead(@TempDir Path dir) throws Exception {
        SentencePieceModel spm = SentencePieceModel.load(SharedData.file("tokenizer/llama2/tokenizer.model"));
        Path out = dir.resolve("tokenizer.bin");
        Llama2cTokenizerFile.write(spm, out);
        assertArrayEquals(Files.readAllBytes(SharedData.file("tokenizer/llama2/tokenizer.bin")), Files.readAllBytes(out),
                "llama2.c's own export of the same model");
    }

    @Test
    void ggufVocabularyEncodesLikeTheSentencePieceModel() throws Exception {
        Tokenizer spm = TokenizerLoader.load(SharedData.file("tokenizer/llama2/tokenizer.model"));
        Tokenizer gguf = TokenizerLoader.load(SharedData.file("tokenizer/vectors/ggml-vocab-llama-spm.gguf"));
        assertEquals(TokenizerLoader.Format.GGUF, TokenizerLoader.detect(SharedData.file("tokenizer/vectors/ggml-vocab-llama-spm.gguf")));
        for (byte[] in : sampleInputs()) {
            assertArrayEquals(spm.encode(in), gguf.encode(in), new String(in, StandardCharsets.UTF_8));
        }
        assertEquals(1, gguf.bosId());
        assertEquals(2, gguf.eosId());
    }

    @Test
    void writesGgufTokenizerMetadataThatReadsBack(@TempDir Path dir) throws Exception {
        SentencePieceModel spm = SentencePieceModel.load(SharedData.file("tokenizer/spm-trained/botchan_bpe1k_llamaopts.model"));
        Path out = dir.resolve("vocab.gguf");
        var writer = new dev.cria.gguf.GgufWriter();
        GgufSentencePiece.write(spm, writer);
        writer.write(out);
        Tokenizer back = TokenizerLoader.load(out);
        for (byte[] in : sampleInputs()) {
            assertArrayEquals(spm.encode(in), back.encode(in));
        }
    }

    @Test
    void huggingFaceJsonEncodesLikeTheSentencePieceModel() throws Exception {
        Tokenizer spm = TokenizerLoader.load(SharedData.file("tokenizer/llama2/tokenizer.model"));
        Tokenizer hf = TokenizerLoader.load(SharedData.file("tokenizer/llama2/tokenizer.json"));
        assertInstanceOf(SentencePieceModel.class, hf);
        for (byte[] in : sampleInputs()) {
            assertArrayEquals(spm.encode(in), hf.encode(in), new String(in, StandardCharsets.UTF_8));
        }
        assertEquals(spm.decode(spm.encode("  Hello, world! 123")), hf.decode(hf.encode("  Hello, world! 123")));
    }

    @Test
    void rejectsBrokenModelsWithTheOffset(@TempDir Path dir) throws Exception {
        byte[] good = Files.readAllBytes(SharedData.file("tokenizer/llama2/tokenizer.model"));
        for (int cut : new int[] {1, 7, 100, good.length / 2, good.length - 3}) {
            Path f = dir.resolve("cut" + cut + ".model");
            Files.write(f, java.util.Arrays.copyOf(good, cut));
            var e = assertThrows(TokenizerFormatException.class, () -> TokenizerLoader.load(f), "cut at " + cut);
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        }
        Path empty = dir.resolve("empty.model");
        Files.write(empty, new byte[0]);
        assertThrows(TokenizerFormatException.class, () -> TokenizerLoader.load(empty));
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "\u0001\u0002 these are not tokens");
        var e = assertThrows(TokenizerFormatException.class, () -> TokenizerLoader.load(text));
        assertTrue(e.getMessage().contains("unrecognized tokenizer format"), e.getMessage());
        Path badJson = dir.resolve("tokenizer.json");
        Files.writeString(badJson, "{\"model\": {\"type\": \"BPE\", ");
        e = assertThrows(TokenizerFormatException.class, () -> TokenizerLoader.load(badJson));
        assertTrue(e.getMessage().contains("invalid JSON"), e.getMessage());
    }

    @Test
    void rejectsAModelWithoutUnknownPiece(@TempDir Path dir) throws Exception {
        ModelProto p = ModelProto.read(SharedData.file("tokenizer/spm-trained/botchan_bpe1k_llamaopts.model"));
        var pieces = new java.util.ArrayList<>(p.pieces());
        pieces.set(0, new ModelProto.Piece("<unk>", 0f, TokenType.NORMAL));
        ModelProto broken = new ModelProto(pieces, p.trainerSpec(), p.normalizerSpec(), null, null);
        var e = assertThrows(TokenizerFormatException.class, () -> SentencePieceModel.of(broken, "broken.model"));
        assertTrue(e.getMessage().contains("unk is not defined"), e.getMessage());
        pieces.set(0, new ModelProto.Piece("<unk>", 0f, TokenType.UNKNOWN));
        pieces.set(5, new ModelProto.Piece("<0x01>", 0f, TokenType.NORMAL));
        ModelProto missingByte = new ModelProto(pieces, p.trainerSpec(), p.normalizerSpec(), null, null);
        e = assertThrows(TokenizerFormatException.class, () -> SentencePieceModel.of(missingByte, "bytes.model"));
        assertTrue(e.getMessage().contains("256 byte pieces"), e.getMessage());
    }
}
