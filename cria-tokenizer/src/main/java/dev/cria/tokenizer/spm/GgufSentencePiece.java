package dev.cria.tokenizer.spm;

import dev.cria.gguf.GgufFormatException;
import dev.cria.gguf.GgufMetadata;
import dev.cria.gguf.GgufValue;
import dev.cria.gguf.GgufWriter;
import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.TokenizerFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SentencePiece vocabulary stored in GGUF metadata ({@code tokenizer.ggml.model = "llama"}): tokens, scores
 * and token types (SentencePiece's type numbers), special ids, and {@code add_space_prefix} for the dummy prefix.
 */
public final class GgufSentencePiece {
    private GgufSentencePiece() {
    }

    public static ModelProto toModelProto(GgufMetadata meta, String source) throws TokenizerFormatException {
        try {
            String model = meta.getString("tokenizer.ggml.model");
            if (!model.equals("llama")) {
                throw new TokenizerFormatException(source + ": tokenizer.ggml.model is '" + model + "', expected 'llama' (SentencePiece)");
            }
            String[] tokens = meta.getStringArray("tokenizer.ggml.tokens");
            float[] scores = meta.findFloatArray("tokenizer.ggml.scores").orElse(new float[tokens.length]);
            int[] types = meta.findIntArray("tokenizer.ggml.token_type").orElse(null);
            if (scores.length != tokens.length || (types != null && types.length != tokens.length)) {
                throw new TokenizerFormatException(source + ": tokenizer.ggml.tokens has " + tokens.length + " entries but scores has "
                        + scores.length + (types == null ? "" : " and token_type " + types.length));
            }
            int unk = (int) meta.findLong("tokenizer.ggml.unknown_token_id").orElse(0);
            List<ModelProto.Piece> pieces = new ArrayList<>(tokens.length);
            boolean hasBytes = false;
            for (int i = 0; i < tokens.length; i++) {
                TokenType type;
                if (types != null) {
                    try {
                        type = TokenType.ofCode(types[i]);
                    } catch (IllegalArgumentException e) {
                        throw new TokenizerFormatException(source + ": tokenizer.ggml.token_type[" + i + "]: " + e.getMessage());
                    }
                } else {
                    type = i == unk ? TokenType.UNKNOWN : Vocabulary.pieceToByte(tokens[i]) >= 0 ? TokenType.BYTE : TokenType.NORMAL;
                }
                hasBytes |= type == TokenType.BYTE;
                pieces.add(new ModelProto.Piece(tokens[i], scores[i], type));
            }
            TrainerSpec trainer = new TrainerSpec();
            trainer.values().set("model_type", ModelType.BPE);
            trainer.values().set("vocab_size", tokens.length);
            trainer.values().set("byte_fallback", hasBytes);
            trainer.values().set("unk_id", unk);
            trainer.values().set("bos_id", (int) meta.findLong("tokenizer.ggml.bos_token_id").orElse(-1));
            trainer.values().set("eos_id", (int) meta.findLong("tokenizer.ggml.eos_token_id").orElse(-1));
            NormalizerSpec normalizer = new NormalizerSpec();
            normalizer.values().set("name", "identity");
            normalizer.values().set("add_dummy_prefix", meta.findBoolean("tokenizer.ggml.add_space_prefix").orElse(true));
            normalizer.values().set("remove_extra_whitespaces", false);
            return new ModelProto(pieces, trainer, normalizer, null, null);
        } catch (GgufFormatException e) {
            throw new TokenizerFormatException(e.getMessage(), e);
        }
    }

    /** Adds the tokenizer metadata llama.cpp reads for a SentencePiece vocabulary. */
    public static void write(SentencePieceModel model, GgufWriter out) {
        int n = model.vocabSize();
        String[] tokens = new String[n];
        float[] scores = new float[n];
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = model.piece(i);
            scores[i] = model.score(i);
            types[i] = model.type(i).code();
        }
        out.put("tokenizer.ggml.model", GgufValue.string("llama"));
        out.put("tokenizer.ggml.tokens", GgufValue.strings(tokens));
        out.put("tokenizer.ggml.scores", GgufValue.float32s(scores));
        out.put("tokenizer.ggml.token_type", GgufValue.int32s(types));
        if (model.bosId() >= 0) {
            out.put("tokenizer.ggml.bos_token_id", GgufValue.uint32(model.bosId()));
        }
        if (model.eosId() >= 0) {
            out.put("tokenizer.ggml.eos_token_id", GgufValue.uint32(model.eosId()));
        }
        out.put("tokenizer.ggml.unknown_token_id", GgufValue.uint32(model.unkId()));
        out.put("tokenizer.ggml.add_space_prefix", GgufValue.bool(model.proto().normalizerSpec().addDummyPrefix()));
    }
}
