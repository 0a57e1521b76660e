package dev.cria.data.recipe;

/** The stages of the other LLaMA sources (GitHub, Wikipedia, books, arXiv, StackExchange) and of the mixture. */
final class SourceStages {

    private SourceStages() {
    }

    static void register(StageRegistry registry) {
    }
}
