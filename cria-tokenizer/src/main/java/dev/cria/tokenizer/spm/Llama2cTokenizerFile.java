package dev.cria.tokenizer.spm;

import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.TokenizerFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * llama2.c's {@code tokenizer.bin}: {@code int32 max_token_length}, then per token {@code float32 score},
 * {@code int32 length}, {@code length} bytes (little-endian). llama2.c's exporter writes pieces with {@code ▁}
 * replaced by a space and BOS/EOS as {@code "\n<s>\n"} / {@code "\n</s>\n"}; reading undoes both and restores the
 * token types SentencePiece had (id 0 unknown, BOS/EOS control, {@code <0xNN>} bytes), so the result encodes
 * exactly as the original {@code tokenizer.model}.
 */
public final class Llama2cTokenizerFile {
    private Llama2cTokenizerFile() {
    }

    /** Heuristic used by the loader: a small positive max length followed by a plausible first record. */
    public static boolean looksLike(byte[] head) {
        if (head.length < 12) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        int max = b.getInt(0);
        float score = b.getFloat(4);
        int len = b.getInt(8);
        return max > 0 && max < 4096 && len > 0 && len <= max && !Float.isNaN(score);
    }

    public static ModelProto read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return parse(bytes, file.toString());
    }

    static ModelProto parse(byte[] bytes, String source) throws TokenizerFormatException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 4) {
            throw new TokenizerFormatException(source + ": truncated llama2.c tokenizer (no header)");
        }
        int maxLen = b.getInt();
        if (maxLen <= 0) {
            throw new TokenizerFormatException(source + ": byte 0: max_token_length " + maxLen + " must be positive");
        }
        List<ModelProto.Piece> pieces = new ArrayList<>();
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
        boolean hasBytes = false;
        while (b.hasRemaining()) {
            int at = b.position();
            if (b.remaining() < 8) {
                throw new TokenizerFormatException(source + ": byte " + at + ": truncated record of token " + pieces.size());
            }
            float score = b.getFloat();
            int len = b.getInt();
            if (len < 0 || len > maxLen || len > b.remaining()) {
                throw new TokenizerFormatException(source + ": byte " + at + ": token " + pieces.size() + " has length " + len
                        + " (max_token_length " + maxLen + ", " + b.remaining() + " bytes left)");
            }
            String text;
            try {
                text = decoder.decode(ByteBuffer.wrap(bytes, b.position(), len)).toString();
            } catch (CharacterCodingException e) {
                throw new TokenizerFormatException(source + ": byte " + b.position() + ": token " + pieces.size() + " is not valid UTF-8");
            }
            b.position(b.position() + len);
            int id = pieces.size();
            TokenType type = TokenType.NORMAL;
            if (id == 0) {
                type = TokenType.UNKNOWN;
            } else if (text.equals("\n<s>\n") || text.equals("\n</s>\n")) {
                text = text.strip();
                type = TokenType.CONTROL;
            } else if (Vocabulary.pieceToByte(text) >= 0) {
                type = TokenType.BYTE;
                hasBytes = true;
            } else {
                text = text.replace(' ', '\u2581');
            }
            pieces.add(new ModelProto.Piece(text, score, type));
        }
        if (pieces.isEmpty()) {
            throw new TokenizerFormatException(source + ": no tokens");
        }
        TrainerSpec trainer = new TrainerSpec();
        trainer.values().set("model_type", ModelType.BPE);
        trainer.values().set("vocab_size", pieces.size());
        trainer.values().set("byte_fallback", hasBytes);
        NormalizerSpec normalizer = new NormalizerSpec();
        normalizer.values().set("name", "identity");
        normalizer.values().set("add_dummy_prefix", true);
        normalizer.values().set("remove_extra_whitespaces", false);
        return new ModelProto(pieces, trainer, normalizer, null, null);
    }

    /** Writes a model in llama2.c's format, as its exporter does (spaces for {@code ▁}, BOS/EOS wrapped in newlines). */
    public static void write(SentencePieceModel model, Path file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> tokens = new ArrayList<>();
        int max = 0;
        for (int id = 0; id < model.vocabSize(); id++) {
            String p = model.piece(id);
            if (id == model.bosId() || id == model.eosId()) {
                p = "\n" + p + "\n";
            } else {
                p = p.replace('\u2581', ' ');
            }
            byte[] t = p.getBytes(StandardCharsets.UTF_8);
            tokens.add(t);
            max = Math.max(max, t.length);
        }
        ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(max);
        out.writeBytes(header.array());
        for (int id = 0; id < tokens.size(); id++) {
            ByteBuffer rec = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(model.score(id)).putInt(tokens.get(id).length);
            out.writeBytes(rec.array());
            out.writeBytes(tokens.get(id));
        }
        ModelProto.writeAtomically(file, out.toByteArray());
    }
}
