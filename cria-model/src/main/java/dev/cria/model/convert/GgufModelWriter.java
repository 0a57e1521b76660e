package dev.cria.model.convert;

import dev.cria.gguf.GgmlType;
import dev.cria.gguf.GgufWriter;
import dev.cria.model.LlamaConfig;
import dev.cria.model.LlamaModel;
import dev.cria.model.LlamaWeights;
import dev.cria.tensor.DType;
import dev.cria.tensor.Matrix;
import dev.cria.tokenizer.Tokenizer;
import dev.cria.tokenizer.spm.GgufSentencePiece;
import dev.cria.tokenizer.spm.SentencePieceModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a LLaMA model as a GGUF file that llama.cpp loads ({@code general.architecture = llama}), with every
 * 2-D weight in one target format, "pure" as {@code llama-quantize --pure}: a matrix whose rows (its
 * {@code cols}, GGUF's first dimension) are not a whole number of 32-value blocks cannot be stored in Q8_0 or
 * Q4_0 and stays F32, and the {@link Report} says which. Norm vectors (and {@code rope_freqs}) are F32, as
 * llama.cpp keeps every 1-D tensor.
 *
 * <h2>What llama.cpp reads</h2>
 * <pre>
 * general.architecture "llama", general.name, general.file_type (llama_ftype: 0 F32, 1 F16, 32 BF16, 7 Q8_0,
 *   2 Q4_0), general.quantization_version 2 when quantized
 * llama.vocab_size, llama.context_length, llama.embedding_length, llama.block_count, llama.feed_forward_length,
 *   llama.rope.dimension_count (head size), llama.attention.head_count, llama.attention.head_count_kv,
 *   llama.attention.layer_norm_rms_epsilon, llama.rope.freq_base
 * tokenizer.ggml.* (SentencePiece vocabulary: {@link GgufSentencePiece#write}), tokenizer.chat_template
 * token_embd.weight [dim, vocab]      output_norm.weight [dim]      output.weight [dim, vocab] (absent: tied)
 * rope_freqs.weight [headSize/2] (Llama 3.1 rope scaling)
 * blk.N.attn_norm.weight [dim]        blk.N.attn_q.weight [dim, dim]         blk.N.attn_k.weight [dim, kvDim]
 * blk.N.attn_v.weight [dim, kvDim]    blk.N.attn_output.weight [dim, dim]    blk.N.ffn_norm.weight [dim]
 * blk.N.ffn_gate.weight [dim, hidden] blk.N.ffn_down.weight [hidden, dim]    blk.N.ffn_up.weight [dim, hidden]
 * </pre>
 * Dimensions are GGUF's, first fastest: a row-major {@code [rows][cols]} matrix is {@code [cols, rows]}. Query
 * and key rows are in the adjacent-pairs order {@link LlamaWeights} already uses.
 *
 * <p>A matrix already in the target format is written from its own bytes (a mapped file stays mapped); the others
 * are encoded in memory before the file is written, since {@link GgufWriter} takes each tensor's bytes whole.
 */
public final class GgufModelWriter {

    /** Where one tensor went. */
    public record TensorChoice(String name, DType type, long[] dims, String keptF32Because) {
        /** A 2-D weight that could not take the target format. */
        public boolean isFallback() {
            return keptF32Because != null;
        }
    }

    /** What was written: the target format, and each tensor's format. */
    public record Report(Path file, DType target, List<TensorChoice> tensors) {
        public Report {
            tensors = List.copyOf(tensors);
        }

        public List<TensorChoice> fallbacks() {
            return tensors.stream().filter(TensorChoice::isFallback).toList();
        }

        /** One paragraph for people: counts per format and every fallback with its reason. */
        public String describe() {
            long matrices = tensors.stream().filter(t -> t.dims().length == 2).count();
            long inTarget = tensors.stream().filter(t -> t.dims().length == 2 && t.type() == target).count();
            long vectors = tensors.size() - matrices;
            StringBuilder out = new StringBuilder();
            out.append(file).append(": ").append(inTarget).append(" of ").append(matrices).append(" weight matrices in ")
                    .append(target).append(", ").append(vectors).append(" vectors in F32");
            List<TensorChoice> fallbacks = fallbacks();
            if (!fallbacks.isEmpty()) {
                out.append("; kept in F32 (").append(fallbacks.size()).append("):");
                for (TensorChoice t : fallbacks) {
                    out.append("\n  ").append(t.name()).append(": ").append(t.keptF32Because());
                }
            }
            return out.toString();
        }
    }

    private final WeightEncoder encoder;

    /** Quantizes with ggml's reference quantizers. */
    public GgufModelWriter() {
        this(new WeightEncoder());
    }

    public GgufModelWriter(WeightEncoder encoder) {
        this.encoder = encoder;
    }

    /**
     * Writes {@code model} to {@code out} (atomically) with its weight matrices in {@code type}.
     *
     * @param name {@code general.name}
     * @throws IllegalArgumentException when the model has no SentencePiece tokenizer of its vocabulary size
     *                                  (llama.cpp needs one to load the file)
     */
    public Report write(LlamaModel model, Path out, DType type, String name) throws IOException {
        LlamaConfig c = model.config();
        LlamaWeights w = model.weights();
        SentencePieceModel vocab = sentencePiece(model);
        GgufWriter gguf = new GgufWriter();
        gguf.putString("general.architecture", "llama");
        gguf.putString("general.name", name);
        gguf.putUInt32("general.file_type", fileType(type));
        if (type.isQuantized()) {
            gguf.putUInt32("general.quantization_version", 2);
        }
        gguf.putUInt32("llama.vocab_size", c.vocabSize());
        gguf.putUInt32("llama.context_length", c.contextLength());
        gguf.putUInt32("llama.embedding_length", c.dim());
        gguf.putUInt32("llama.block_count", c.layers());
        gguf.putUInt32("llama.feed_forward_length", c.hiddenDim());
        gguf.putUInt32("llama.rope.dimension_count", c.headSize());
        gguf.putUInt32("llama.attention.head_count", c.heads());
        gguf.putUInt32("llama.attention.head_count_kv", c.kvHeads());
        gguf.putFloat32("llama.attention.layer_norm_rms_epsilon", c.rmsNormEps());
        gguf.putFloat32("llama.rope.freq_base", c.ropeTheta());
        GgufSentencePiece.write(vocab, gguf);
        if (model.chatTemplate() != null) {
            gguf.putString("tokenizer.chat_template", model.chatTemplate());
        }

        List<TensorChoice> choices = new ArrayList<>();
        matrix(gguf, choices, "token_embd.weight", w.tokenEmbedding(), type);
        for (int i = 0; i < w.layers().size(); i++) {
            LlamaWeights.Layer l = w.layers().get(i);
            String p = "blk." + i + ".";
            vector(gguf, choices, p + "attn_norm.weight", l.attentionNorm());
            matrix(gguf, choices, p + "attn_q.weight", l.wq(), type);
            matrix(gguf, choices, p + "attn_k.weight", l.wk(), type);
            matrix(gguf, choices, p + "attn_v.weight", l.wv(), type);
            matrix(gguf, choices, p + "attn_output.weight", l.wo(), type);
            vector(gguf, choices, p + "ffn_norm.weight", l.ffnNorm());
            matrix(gguf, choices, p + "ffn_gate.weight", l.w1(), type);
            matrix(gguf, choices, p + "ffn_down.weight", l.w2(), type);
            matrix(gguf, choices, p + "ffn_up.weight", l.w3(), type);
        }
        vector(gguf, choices, "output_norm.weight", w.finalNorm());
        if (!c.tiedEmbeddings() && w.output() != w.tokenEmbedding()) {
            matrix(gguf, choices, "output.weight", w.output(), type);
        }
        float[] ropeFactors = w.ropeFrequencyFactors() != null ? w.ropeFrequencyFactors() : RopeFrequencyFactors.of(c);
        if (ropeFactors != null) {
            vector(gguf, choices, "rope_freqs.weight", ropeFactors);
        }
        gguf.write(out);
        return new Report(out, type, choices);
    }

    private static SentencePieceModel sentencePiece(LlamaModel model) {
        Tokenizer t = model.tokenizer();
        if (t == null) {
            throw new IllegalArgumentException(model.source() + ": no tokenizer; llama.cpp loads a GGUF model only with its vocabulary"
                    + " (give the tokenizer file)");
        }
        if (!(t instanceof SentencePieceModel spm)) {
            throw new IllegalArgumentException(model.source() + ": the tokenizer is " + t.getClass().getSimpleName()
                    + "; GGUF export writes SentencePiece vocabularies only");
        }
        if (spm.vocabSize() != model.config().vocabSize()) {
            throw new IllegalArgumentException(model.source() + ": the tokenizer has " + spm.vocabSize()
                    + " pieces but the model's vocabulary size is " + model.config().vocabSize());
        }
        return spm;
    }

    private void matrix(GgufWriter gguf, List<TensorChoice> choices, String name, Matrix m, DType target) {
        DType type = target;
        String because = null;
        if (target.isQuantized() && m.cols() % target.blockSize() != 0) {
            type = DType.F32;
            because = "row length " + m.cols() + " is not a multiple of " + target.blockSize();
        }
        long[] dims = {m.cols(), m.rows()};
        gguf.addTensor(name, ggmlType(type), dims, encoder.encode(m, type));
        choices.add(new TensorChoice(name, type, dims, because));
    }

    private static void vector(GgufWriter gguf, List<TensorChoice> choices, String name, float[] values) {
        long[] dims = {values.length};
        gguf.addTensor(name, dims, values);
        choices.add(new TensorChoice(name, DType.F32, dims, null));
    }

    static GgmlType ggmlType(DType type) {
        return switch (type) {
            case F32 -> GgmlType.F32;
            case F16 -> GgmlType.F16;
            case BF16 -> GgmlType.BF16;
            case Q8_0 -> GgmlType.Q8_0;
            case Q4_0 -> GgmlType.Q4_0;
        };
    }

    /** llama.cpp's {@code llama_ftype} of a file whose matrices are mostly {@code type}. */
    static int fileType(DType type) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
            case BF16 -> 32;
        };
    }
}
