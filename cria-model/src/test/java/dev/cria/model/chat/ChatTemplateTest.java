package dev.cria.model.chat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cria.tokenizer.Tokenizer;
import dev.cria.tokenizer.TokenizerLoader;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Token ids of Hugging Face's chat templates for the real Llama 2 and Llama 3 tokenizers, as recorded in LMFlow's
 * tests (tests/models/test_hf_decoder_model.py) and in a Meta-format dialog test of a Llama 3 tokenizer port.
 */
class ChatTemplateTest {

    private static Tokenizer llama2() throws IOException {
        return TokenizerLoader.load(SharedData.file("tokenizer/llama2/tokenizer.model"));
    }

    private static Tokenizer llama3() throws IOException {
        return TokenizerLoader.load(SharedData.file("tokenizer/llama3/tokenizer.json"));
    }

    private static int[] concat(int[]... parts) {
        return java.util.Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
    }

    private static final List<ChatMessage> TWO_TURNS = List.of(ChatMessage.system("sysinfo"), ChatMessage.user("Hello"),
            ChatMessage.assistant("Hi!"), ChatMessage.user("How are you?"));

    @Test
    void llama3DialogsEncodeAsMetasChatFormat() throws IOException {
        Llama3ChatTemplate t = new Llama3ChatTemplate(llama3());
        int[] turn1 = {128000, 128006, 9125, 128007, 271, 7947, 2801, 128009, 128006, 882, 128007, 271, 9906, 128009};
        int[] answer1 = {128006, 78191, 128007, 271, 13347, 0, 128009};
        int[] turn2 = {128006, 882, 128007, 271, 4438, 527, 499, 30, 128009};
        int[] open = {128006, 78191, 128007, 271};
        assertArrayEquals(concat(turn1, answer1, turn2, open), t.encode(TWO_TURNS));
        assertArrayEquals(new int[] {128000, 128006, 9125, 128007, 271, 3513, 64694, 13, 128009, 128006, 882, 128007, 271,
                849, 21435, 20677, 12, 23, 13, 128009, 128006, 78191, 128007, 271},
                t.encode(List.of(ChatMessage.system("Be concise."), ChatMessage.user("  Explain UTF-8.  "))));
    }

    @Test
    void llama2DialogsEncodeAsMetasChatCompletion() throws IOException {
        Llama2ChatTemplate t = new Llama2ChatTemplate(llama2());
        int[] turn1 = {1, 518, 25580, 29962, 3532, 14816, 29903, 6778, 13, 9675, 3888, 13, 29966, 829, 14816, 29903, 6778, 13, 13, 10994,
                518, 29914, 25580, 29962};
        assertArrayEquals(turn1, t.encode(TWO_TURNS.subList(0, 2)));
        // A finished exchange is "[INST] ... [/INST] {answer} " then EOS: "▁Hi", "!", "▁", </s>.
        int[] answer1 = {6324, 29991, 29871, 2};
        int[] turn2 = {1, 518, 25580, 29962, 1128, 526, 366, 29973, 518, 29914, 25580, 29962};
        assertArrayEquals(concat(turn1, answer1, turn2), t.encode(TWO_TURNS));
    }

    @Test
    void dialogsOfTheWrongShapeAreRefused() throws IOException {
        Llama2ChatTemplate t = new Llama2ChatTemplate(llama2());
        assertThrows(IllegalArgumentException.class, () -> t.encode(List.of(ChatMessage.system("s"))));
        assertThrows(IllegalArgumentException.class, () -> t.encode(List.of(ChatMessage.user("a"), ChatMessage.user("b"))));
        assertThrows(IllegalArgumentException.class, () -> t.encode(List.of(ChatMessage.user("a"), ChatMessage.assistant("b"))));
    }

    @Test
    void theTemplateIsRecognizedByItsMarkersOrElseByTheVocabulary() throws IOException {
        Tokenizer l2 = llama2();
        Tokenizer l3 = llama3();
        String metaLlama3 = "{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
                + " + message['content'] | trim + '<|eot_id|>' }}{% endfor %}";
        String metaLlama2 = "{% if messages[0]['role'] == 'system' %}{% set system_message = '<<SYS>>\\n' + messages[0]['content'] "
                + "+ '\\n<</SYS>>\\n\\n' %}{% endif %}{{ bos_token + '[INST] ' + content + ' [/INST]' }}";
        String chatMl = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>'}}{% endfor %}";
        assertInstanceOf(Llama3ChatTemplate.class, ChatTemplate.forModel(metaLlama3, l3));
        assertInstanceOf(Llama2ChatTemplate.class, ChatTemplate.forModel(metaLlama2, l2));
        assertInstanceOf(Llama3ChatTemplate.class, ChatTemplate.forModel(null, l3));
        assertInstanceOf(Llama2ChatTemplate.class, ChatTemplate.forModel(chatMl, l2));
        assertInstanceOf(Llama3ChatTemplate.class, ChatTemplate.forModel(chatMl, l3));
    }
}
