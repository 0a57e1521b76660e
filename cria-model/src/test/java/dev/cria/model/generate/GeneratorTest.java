package dev.cria.model.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.model.LlamaConfig;
import dev.cria.model.LlamaModel;
import dev.cria.model.LlamaWeights;
import dev.cria.model.ModelLoader;
import dev.cria.model.SequenceState;
import dev.cria.model.Transformer;
import dev.cria.model.sample.SamplerSettings;
import dev.cria.tensor.Matrices;
import dev.cria.tensor.Matrix;
import dev.cria.tensor.Parallel;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    private static final String DIR = "models/stories260K/";
    private static Parallel parallel;
    private static LlamaModel model;
    private static Generator generator;

    @BeforeAll
    static void load() throws IOException {
        parallel = new Parallel(2);
        model = ModelLoader.load(SharedData.file(DIR + "stories260K.bin"), SharedData.file(DIR + "tok512.bin"));
        generator = new Generator(new Transformer(model, parallel), model.tokenizer());
    }

    @AfterAll
    static void close() {
        model.close();
        parallel.close();
    }

    private static String expected() throws IOException {
        return Files.readString(SharedData.file(DIR + "reference/greedy200.expected.txt"), StandardCharsets.UTF_8);
    }

    private static int[] referenceTokens() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(SharedData.file(DIR + "reference/stories260K_bos_greedy64.tokens.i32")))
                .order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[b.remaining() / 4];
        b.asIntBuffer().get(out);
        return out;
    }

    @Test
    void streamsTextPieceByPieceAndReturnsTheirConcatenation() {
        List<String> pieces = new ArrayList<>();
        GenerationResult r = generator.generate("", GenerationOptions.greedy(40), pieces::add);
        assertTrue(pieces.size() > 20, "one piece per token or so, got " + pieces.size());
        assertEquals(String.join("", pieces), r.text());
        assertTrue(r.text().startsWith("Once upon a time, there was a little girl named Lily."), r.text());
        assertTrue(r.stats().prefillTokensPerSecond() > 0 && r.stats().decodeTokensPerSecond() > 0, r.stats().describe());
    }

    @Test
    void continuesATokenPromptAsGreedyDecodingFromBosDoes() throws IOException {
        int[] reference = referenceTokens();
        SequenceState state = generator.transformer().newState();
        GenerationResult r = generator.generate(state, Arrays.copyOf(reference, 10), GenerationOptions.greedy(30), s -> { });
        assertArrayEquals(Arrays.copyOfRange(reference, 10, 40), r.tokens());
        assertEquals(10 + 29, state.position(), "the last token is not fed");
    }

    @Test
    void aTextPromptIsNotEchoedAndItsContinuationKeepsItsSpace() throws IOException {
        String prompt = "Once upon a time, there was a little girl named";
        GenerationResult r = generator.generate(prompt, GenerationOptions.greedy(20), s -> { });
        assertTrue(expected().startsWith(prompt + r.text()), r.text());
        assertTrue(r.text().startsWith(" Lily"), r.text());
    }

    @Test
    void stopsAtAStopStringWithoutShowingIt() throws IOException {
        StringBuilder streamed = new StringBuilder();
        GenerationResult r = generator.generate("", GenerationOptions.greedy(100).withStopStrings(List.of("Lily")), streamed::append);
        assertEquals(StopReason.STOP_STRING, r.stopReason());
        assertEquals("Once upon a time, there was a little girl named ", r.text());
        assertEquals(r.text(), streamed.toString());
    }

    @Test
    void stopsAtTheContextLimit() {
        GenerationResult r = generator.generate("", GenerationOptions.greedy(100).withContextLength(20), s -> { });
        assertEquals(StopReason.CONTEXT_FULL, r.stopReason());
        assertEquals(20, r.tokens().length, "BOS and 19 generated tokens fill 20 positions; the 20th token is sampled from the last");
    }

    @Test
    void zeroTokensOnlyReadsThePrompt() {
        GenerationResult r = generator.generate("Once upon", GenerationOptions.greedy(0), s -> { });
        assertEquals(StopReason.MAX_TOKENS, r.stopReason());
        assertEquals("", r.text());
        assertEquals(0, r.tokens().length);
    }

    @Test
    void anEmptyPromptIsBosAlone() {
        assertArrayEquals(new int[] {1}, generator.promptTokens(""));
        int[] prompt = generator.promptTokens("Lily");
        assertEquals(1, prompt[0]);
        assertArrayEquals(model.tokenizer().encode("Lily"), Arrays.copyOfRange(prompt, 1, prompt.length));
    }

    @Test
    void aPromptLongerThanTheContextIsAClearError() {
        String prompt = "Once upon a time there was a dog. ".repeat(20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> generator.generate(prompt, GenerationOptions.greedy(10).withContextLength(64), s -> { }));
        assertTrue(e.getMessage().contains("the prompt has " + generator.promptTokens(prompt).length + " tokens but the context holds 64"),
                e.getMessage());
    }

    @Test
    void theSameSeedGivesTheSameStory() {
        GenerationOptions options = GenerationOptions.greedy(60).withSampling(new SamplerSettings(1.0f, 40, 0.9f, 1234));
        GenerationResult a = generator.generate("", options, s -> { });
        GenerationResult b = generator.generate("", options, s -> { });
        GenerationResult c = generator.generate("", options.withSampling(new SamplerSettings(1.0f, 40, 0.9f, 99)), s -> { });
        assertArrayEquals(a.tokens(), b.tokens());
        assertTrue(!Arrays.equals(a.tokens(), c.tokens()));
    }

    @Test
    void llama3EndsAtEndOfTurnAndEndOfText() throws IOException {
        var llama3 = dev.cria.tokenizer.TokenizerLoader.load(SharedData.file("tokenizer/llama3/tokenizer.json"));
        LlamaConfig c = new LlamaConfig(8, 8, 1, 1, 1, llama3.vocabSize(), 16, 1e-5f, 500000f, null, true);
        LlamaModel tiny = dev.cria.model.TestModels.random(c, 1);
        Generator g = new Generator(new Transformer(tiny, parallel), llama3);
        assertTrue(g.endsSequence(llama3.pieceToId("<|eot_id|>")));
        assertTrue(g.endsSequence(llama3.pieceToId("<|end_of_text|>")));
        assertTrue(!g.endsSequence(llama3.pieceToId("<|start_header_id|>")));
        assertEquals(128000, g.promptTokens("")[0]);
    }

    /** A model that always predicts EOS: every layer is zero (the residual stream is the embedding) and the classifier's EOS row matches it. */
    @Test
    void stopsAtEndOfSequence() {
        LlamaConfig c = new LlamaConfig(32, 32, 1, 2, 2, 512, 32, 1e-5f, 10000f, null, false);
        float[] ones = new float[c.dim()];
        Arrays.fill(ones, 1f);
        float[] embedding = new float[c.vocabSize() * c.dim()];
        Arrays.fill(embedding, 1f);
        float[] output = new float[c.vocabSize() * c.dim()];
        Arrays.fill(output, 2 * c.dim(), 3 * c.dim(), 1f);
        Matrix zero = Matrices.of(new float[c.dim() * c.dim()], c.dim(), c.dim());
        LlamaWeights.Layer layer = new LlamaWeights.Layer(ones, zero, zero, zero, zero, ones, zero, zero, zero);
        LlamaWeights w = new LlamaWeights(Matrices.of(embedding, c.vocabSize(), c.dim()), List.of(layer), ones,
                Matrices.of(output, c.vocabSize(), c.dim()), null);
        LlamaModel eos = new LlamaModel(c, w, model.tokenizer(), null, "always EOS");
        Generator g = new Generator(new Transformer(eos, parallel), eos.tokenizer());
        GenerationResult r = g.generate("Once", GenerationOptions.greedy(10), s -> { });
        assertEquals(StopReason.END_OF_SEQUENCE, r.stopReason());
        assertEquals(0, r.tokens().length);
        assertTrue(g.endsSequence(2));
    }
}
