package dev.cria.tokenizer.spm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.TokenizerFormatException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face {@code tokenizer.json} files that describe a SentencePiece model (Llama 1/2 style BPE with byte
 * fallback and a {@code ▁} prefix, or Unigram), turned back into a ModelProto.
 *
 * <p>HF's BPE keeps a ranked merge list instead of scores. SentencePiece merges by the score of the result, so each
 * piece gets {@code score = -rank} of the first merge that produces it; on Llama's file (every split of every
 * piece listed in score order) this reproduces SentencePiece's ids. Multi-character pieces that no merge produces
 * can never appear in HF's output; they are kept as UNUSED pieces, which SentencePiece splits back.
 */
public final class HfSentencePieceJson {
    private HfSentencePieceJson() {
    }

    /** True when the JSON's model is one this class converts (BPE with byte fallback or a ▁ prefix, or Unigram). */
    public static boolean isSentencePieceStyle(JsonNode root) {
        JsonNode model = root.path("model");
        String type = model.path("type").asText("");
        if (type.equals("Unigram")) {
            return true;
        }
        return type.equals("BPE") && (model.path("byte_fallback").asBoolean(false) || usesMetaspace(root));
    }

    private static boolean usesMetaspace(JsonNode root) {
        String all = root.path("normalizer").toString() + root.path("pre_tokenizer").toString() + root.path("decoder").toString();
        return all.contains("\u2581") || all.contains("Metaspace");
    }

    public static ModelProto toModelProto(JsonNode root, String source) throws TokenizerFormatException {
        JsonNode model = root.path("model");
        String type = model.path("type").asText("");
        Map<Integer, JsonNode> added = new HashMap<>();
        for (JsonNode t : root.path("added_tokens")) {
            added.put(t.path("id").asInt(), t);
        }
        List<ModelProto.Piece> pieces;
        TrainerSpec trainer = new TrainerSpec();
        boolean byteFallback = model.path("byte_fallback").asBoolean(false);
        if (type.equals("Unigram")) {
            pieces = unigramPieces(model, added, source);
            trainer.values().set("model_type", ModelType.UNIGRAM);
            byteFallback = pieces.stream().anyMatch(p -> p.type() == TokenType.BYTE);
        } else if (type.equals("BPE")) {
            pieces = bpePieces(model, added, byteFallback, source);
            trainer.values().set("model_type", ModelType.BPE);
        } else {
            throw new TokenizerFormatException(source + ": model.type '" + type + "' is not a SentencePiece-style model");
        }
        trainer.values().set("vocab_size", pieces.size());
        trainer.values().set("byte_fallback", byteFallback);
        int bos = -1;
        int eos = -1;
        for (int i = 0; i < pieces.size(); i++) {
            if (pieces.get(i).piece().equals("<s>")) {
                bos = i;
            } else if (pieces.get(i).piece().equals("</s>")) {
                eos = i;
            }
        }
        trainer.values().set("bos_id", bos);
        trainer.values().set("eos_id", eos);
        for (int i = 0; i < pieces.size(); i++) {
            if (pieces.get(i).type() == TokenType.UNKNOWN) {
                trainer.values().set("unk_id", i);
            }
        }
        NormalizerSpec normalizer = new NormalizerSpec();
        normalizer.values().set("name", "identity");
        normalizer.values().set("add_dummy_prefix", usesMetaspace(root) && !root.path("pre_tokenizer").path("prepend_scheme").asText("").equals("never"));
        normalizer.values().set("remove_extra_whitespaces", false);
        return new ModelProto(pieces, trainer, normalizer, null, null);
    }

    private static TokenType typeOf(String piece, int id, Map<Integer, JsonNode> added, String unk, boolean byteFallback) {
        if (piece.equals(unk)) {
            return TokenType.UNKNOWN;
        }
        JsonNode a = added.get(id);
        if (a != null && a.path("special").asBoolean(false)) {
            return TokenType.CONTROL;
        }
        if (a != null) {
            return TokenType.USER_DEFINED;
        }
        if (byteFallback && Vocabulary.pieceToByte(piece) >= 0) {
            return TokenType.BYTE;
        }
        return TokenType.NORMAL;
    }

    private static List<ModelProto.Piece> bpePieces(JsonNode model, Map<Integer, JsonNode> added, boolean byteFallback, String source)
            throws TokenizerFormatException {
        JsonNode vocab = model.path("vocab");
        if (!vocab.isObject() || vocab.isEmpty()) {
            throw new TokenizerFormatException(source + ": model.vocab is missing or empty");
        }
        String[] byId = new String[vocab.size()];
        for (var it = vocab.fields(); it.hasNext(); ) {
            var e = it.next();
            int id = e.getValue().asInt(-1);
            if (id < 0 || id >= byId.length || byId[id] != null) {
                throw new TokenizerFormatException(source + ": model.vocab: id " + id + " of '" + e.getKey() + "' is out of range or repeated");
            }
            byId[id] = e.getKey();
        }
        Map<String, Integer> firstRank = new HashMap<>();
        int rank = 0;
        for (JsonNode m : model.path("merges")) {
            String l;
            String r;
            if (m.isArray() && m.size() == 2) {
                l = m.get(0).asText();
                r = m.get(1).asText();
            } else {
                String s = m.asText();
                int sp = s.indexOf(' ');
                if (sp <= 0) {
                    throw new TokenizerFormatException(source + ": model.merges[" + rank + "] '" + s + "' is not 'left right'");
                }
                l = s.substring(0, sp);
                r = s.substring(sp + 1);
            }
            firstRank.putIfAbsent(l + r, rank);
            rank++;
        }
        String unk = model.path("unk_token").asText("<unk>");
        List<ModelProto.Piece> pieces = new ArrayList<>(byId.length);
        for (int id = 0; id < byId.length; id++) {
            String p = byId[id];
            TokenType type = typeOf(p, id, added, unk, byteFallback);
            Integer r = firstRank.get(p);
            float score = r == null ? 0f : -(float) r;
            if (type == TokenType.NORMAL && r == null && p.codePointCount(0, p.length()) > 1) {
                type = TokenType.UNUSED;
            }
            pieces.add(new ModelProto.Piece(p, score, type));
        }
        return pieces;
    }

    private static List<ModelProto.Piece> unigramPieces(JsonNode model, Map<Integer, JsonNode> added, String source)
            throws TokenizerFormatException {
        JsonNode vocab = model.path("vocab");
        if (!vocab.isArray() || vocab.isEmpty()) {
            throw new TokenizerFormatException(source + ": model.vocab of a Unigram model must be a non-empty array of [piece, score]");
        }
        int unkId = model.path("unk_id").asInt(-1);
        boolean byteFallback = model.path("byte_fallback").asBoolean(false);
        List<ModelProto.Piece> pieces = new ArrayList<>();
        for (int id = 0; id < vocab.size(); id++) {
            JsonNode e = vocab.get(id);
            if (!e.isArray() || e.size() != 2) {
                throw new TokenizerFormatException(source + ": model.vocab[" + id + "] is not [piece, score]");
            }
            String p = e.get(0).asText();
            TokenType type = id == unkId ? TokenType.UNKNOWN : typeOf(p, id, added, null, byteFallback);
            pieces.add(new ModelProto.Piece(p, (float) e.get(1).asDouble(), type));
        }
        return pieces;
    }
}
