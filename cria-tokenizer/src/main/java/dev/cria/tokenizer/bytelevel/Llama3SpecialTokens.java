package dev.cria.tokenizer.bytelevel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The 256 special tokens that Meta's Llama 3 {@code tokenizer.py} appends after the 128,000 tiktoken ranks
 * (meta-llama/llama3 {@code llama/tokenizer.py}: ten named ones, then
 * {@code <|reserved_special_token_i|>} for {@code i} in {@code range(5, 256 - 5)}).
 */
final class Llama3SpecialTokens {

    /** Number of ranks in Llama 3's {@code tokenizer.model}; the special tokens take ids from here on. */
    static final int MERGEABLE_COUNT = 128_000;

    static final List<String> NAMES;

    static {
        List<String> names = new ArrayList<>(List.of(
                "<|begin_of_text|>",
                "<|end_of_text|>",
                "<|reserved_special_token_0|>",
                "<|reserved_special_token_1|>",
                "<|reserved_special_token_2|>",
                "<|reserved_special_token_3|>",
                "<|start_header_id|>",
                "<|end_header_id|>",
                "<|reserved_special_token_4|>",
                "<|eot_id|>"));
        for (int i = 5; i < 256 - 5; i++) {
            names.add("<|reserved_special_token_" + i + "|>");
        }
        NAMES = Collections.unmodifiableList(names);
    }

    private Llama3SpecialTokens() {
    }
}
