package dev.cria.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.gguf.GgufFile;
import dev.cria.tokenizer.bytelevel.ByteLevelBpe;
import dev.cria.gguf.GgufMetadata;
import dev.cria.tokenizer.spm.GgufSentencePiece;
import dev.cria.tokenizer.spm.HfSentencePieceJson;
import dev.cria.tokenizer.spm.Llama2cTokenizerFile;
import dev.cria.tokenizer.spm.ModelProto;
import dev.cria.tokenizer.spm.SentencePieceModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens any tokenizer file Cria understands, recognizing the format by content (not by name):
 * SentencePiece {@code .model}, llama2.c {@code tokenizer.bin}, GGUF ({@code tokenizer.ggml.*} metadata),
 * Hugging Face {@code tokenizer.json}, and tiktoken files (Llama 3's {@code tokenizer.model}).
 */
public final class TokenizerLoader {
    private TokenizerLoader() {
    }

    /** The formats {@link #load} recognizes. */
    public enum Format { SENTENCEPIECE, LLAMA2C, GGUF, HF_JSON, TIKTOKEN }

    public static Tokenizer load(Path file) throws IOException {
        Format format = detect(file);
        return switch (format) {
            case SENTENCEPIECE -> SentencePieceModel.load(file);
            case LLAMA2C -> SentencePieceModel.of(Llama2cTokenizerFile.read(file), file.toString());
            case HF_JSON -> fromJson(file);
            case GGUF -> fromGguf(file);
            case TIKTOKEN -> ByteLevelBpe.fromTiktoken(file);
        };
    }

    public static Format detect(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "tokenizer file not found");
        }
        if (Files.isDirectory(file)) {
            throw new TokenizerFormatException(file + ": is a directory, expected a tokenizer file");
        }
        byte[] head = new byte[64];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n == 0) {
            throw new TokenizerFormatException(file + ": empty file, expected a tokenizer");
        }
        if (n >= 4 && head[0] == 'G' && head[1] == 'G' && head[2] == 'U' && head[3] == 'F') {
            return Format.GGUF;
        }
        int first = 0;
        while (first < n && Character.isWhitespace(head[first])) {
            first++;
        }
        if (first < n && head[first] == '{') {
            return Format.HF_JSON;
        }
        if (ByteLevelBpe.looksLikeTiktoken(java.util.Arrays.copyOf(head, n))) {
            return Format.TIKTOKEN;
        }
        // A ModelProto starts with field 1 (pieces), wire type 2: byte 0x0A.
        if (head[0] == 0x0A) {
            return Format.SENTENCEPIECE;
        }
        if (Llama2cTokenizerFile.looksLike(java.util.Arrays.copyOf(head, n))) {
            return Format.LLAMA2C;
        }
        throw new TokenizerFormatException(file + ": unrecognized tokenizer format (expected a SentencePiece .model, llama2.c tokenizer.bin, "
                + "GGUF, tokenizer.json or tiktoken file)");
    }

    private static Tokenizer fromGguf(Path file) throws IOException {
        GgufMetadata meta = GgufFile.readMetadata(file);
        String model = meta.findString("tokenizer.ggml.model")
                .orElseThrow(() -> new TokenizerFormatException(file + ": GGUF file has no tokenizer (no tokenizer.ggml.model key)"));
        return switch (model) {
            case "llama" -> SentencePieceModel.of(GgufSentencePiece.toModelProto(meta, file.toString()), file.toString());
            case "gpt2" -> fromGgufByteLevel(meta, file);
            default -> throw new TokenizerFormatException(file + ": tokenizer.ggml.model '" + model
                    + "' is not supported (expected 'llama' for SentencePiece or 'gpt2' for byte-level BPE)");
        };
    }

    /** Byte-level vocabularies whose pre-tokenizer is Llama 3's; other pre-tokenizers would split text differently. */
    private static Tokenizer fromGgufByteLevel(GgufMetadata meta, Path file) throws IOException {
        String pre = meta.findString("tokenizer.ggml.pre").orElse("llama-bpe");
        if (!pre.equals("llama-bpe") && !pre.equals("llama3") && !pre.equals("default")) {
            throw new TokenizerFormatException(file + ": tokenizer.ggml.pre '" + pre + "' is not supported (only Llama 3's 'llama-bpe')");
        }
        ByteLevelBpe bpe = ByteLevelBpe.of(meta.getStringArray("tokenizer.ggml.tokens"),
                meta.findIntArray("tokenizer.ggml.token_type").orElse(null),
                meta.findStringArray("tokenizer.ggml.merges").orElse(null));
        int bos = (int) meta.findLong("tokenizer.ggml.bos_token_id").orElse(bpe.bosId());
        int eos = (int) meta.findLong("tokenizer.ggml.eos_token_id").orElse(bpe.eosId());
        return bpe.withSpecialIds(bos, eos);
    }

    private static Tokenizer fromJson(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TokenizerFormatException(file + ": invalid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
        if (HfSentencePieceJson.isSentencePieceStyle(root)) {
            ModelProto proto = HfSentencePieceJson.toModelProto(root, file.toString());
            return SentencePieceModel.of(proto, file.toString());
        }
        return ByteLevelBpe.fromTokenizerJson(root, file.toString());
    }
}
