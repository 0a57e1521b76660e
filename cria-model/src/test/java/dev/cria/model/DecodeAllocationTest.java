package dev.cria.model;

import static org.junit.jupiter.api.Assertions.fail;

import dev.cria.model.sample.Sampler;
import dev.cria.model.sample.SamplerSettings;
import dev.cria.tensor.Parallel;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Decoding a token and sampling the next allocate nothing once warm: every buffer belongs to the sequence state or the sampler. */
class DecodeAllocationTest {

    @Test
    void decodingAndSamplingAllocateNothingOnceCompiled() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        LlamaConfig c = new LlamaConfig(32, 64, 2, 4, 2, 100, 64, 1e-5f, 10000f, null, true);
        // One thread: the parallel-for runs the body on the caller, so only the model's own work is measured.
        try (Parallel parallel = new Parallel(1)) {
            Transformer t = new Transformer(TestModels.random(c, 4), parallel);
            SequenceState s = t.newState();
            Sampler sampler = Sampler.of(new SamplerSettings(0.8f, 40, 0.9f, 1), c.vocabSize());
            long id = Thread.currentThread().threadId();
            int token = 1;
            long allocated = -1;
            // Interpreted and C1-compiled Vector API code boxes its vectors: measure windows of 1000 tokens until the
            // JIT has compiled the path, then a whole window must allocate nothing.
            for (int window = 0; window < 60; window++) {
                long before = threads.getThreadAllocatedBytes(id);
                for (int i = 0; i < 1000; i++) {
                    if (s.remaining() == 0) {
                        s.rewind(10);
                    }
                    token = sampler.sample(t.decode(s, token));
                }
                allocated = threads.getThreadAllocatedBytes(id) - before;
                if (allocated == 0) {
                    return;
                }
            }
            fail("1000 decode + sample steps still allocate " + allocated + " bytes after warm-up");
        }
    }
}
