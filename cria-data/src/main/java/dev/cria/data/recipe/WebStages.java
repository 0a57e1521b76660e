package dev.cria.data.recipe;

/** The stages of the web sources (CommonCrawl through CCNet, C4, the web-quality filters and dedups). */
final class WebStages {

    private WebStages() {
    }

    static void register(StageRegistry registry) {
    }
}
