package dev.cria.model.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.model.LlamaModel;
import dev.cria.model.ModelLoader;
import dev.cria.model.Transformer;
import dev.cria.model.generate.GenerationOptions;
import dev.cria.model.generate.GenerationResult;
import dev.cria.model.generate.Generator;
import dev.cria.tensor.Parallel;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The session's bookkeeping on stories260K (not a chat model: what it answers does not matter here). */
class ChatSessionTest {
    private static Parallel parallel;
    private static LlamaModel model;
    private static Generator generator;

    @BeforeAll
    static void load() throws IOException {
        parallel = new Parallel(2);
        model = ModelLoader.load(SharedData.file("models/stories260K/stories260K.bin"), SharedData.file("models/stories260K/tok512.bin"));
        generator = new Generator(new Transformer(model, parallel), model.tokenizer());
    }

    @AfterAll
    static void close() {
        model.close();
        parallel.close();
    }

    @Test
    void laterTurnsPrefillOnlyWhatTheCacheDoesNotHold() {
        ChatTemplate template = ChatTemplate.forModel(null, model.tokenizer());
        ChatSession chat = new ChatSession(generator, template, "You tell stories.", GenerationOptions.greedy(12));
        StringBuilder streamed = new StringBuilder();
        GenerationResult first = chat.send("Tell me about Lily.", streamed::append);
        assertEquals(first.text(), streamed.toString());
        assertFalse(first.text().startsWith(" "), "a reply does not start with the piece's space: '" + first.text() + "'");
        int dialog = template.encode(chat.history().subList(0, 2)).length;
        assertEquals(dialog, first.stats().promptTokens());
        GenerationResult second = chat.send("And her dog?", s -> { });
        int whole = template.encode(List.of(chat.history().get(0), chat.history().get(1), chat.history().get(2), chat.history().get(3))).length;
        assertTrue(second.stats().promptTokens() < whole - dialog + 2,
                "second turn prefilled " + second.stats().promptTokens() + " of " + whole + " tokens");
        assertEquals(5, chat.history().size());
        assertEquals(ChatMessage.Role.ASSISTANT, chat.history().getLast().role());
    }

    @Test
    void theOldestExchangesGoWhenTheContextIsFull() {
        ChatTemplate template = ChatTemplate.forModel(null, model.tokenizer());
        ChatSession chat = new ChatSession(generator, template, "Stories.", GenerationOptions.greedy(16).withContextLength(128));
        for (int turn = 0; turn < 8; turn++) {
            chat.send("Tell me a story about a cat and a dog in the park, number " + turn + ".", s -> { });
            assertTrue(template.encode(chat.history().subList(0, chat.history().size() - 1)).length + 16 <= 128);
        }
        List<ChatMessage> history = chat.history();
        assertEquals(ChatMessage.Role.SYSTEM, history.getFirst().role());
        assertTrue(history.size() < 1 + 2 * 8, "history kept " + history.size() + " messages");
        assertTrue(history.get(history.size() - 2).content().endsWith("number 7."));
    }

    @Test
    void aMessageTooLongForTheContextIsRefusedAndForgotten() {
        ChatTemplate template = ChatTemplate.forModel(null, model.tokenizer());
        ChatSession chat = new ChatSession(generator, template, null, GenerationOptions.greedy(8).withContextLength(64));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> chat.send("a very long message that goes on and on ".repeat(10), s -> { }));
        assertTrue(e.getMessage().contains("does not fit the context of 64"), e.getMessage());
        assertEquals(0, chat.history().size());
        chat.send("Hi.", s -> { });
        assertEquals(2, chat.history().size());
    }
}
