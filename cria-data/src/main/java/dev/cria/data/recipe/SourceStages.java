package dev.cria.data.recipe;

import dev.cria.data.source.OneSource;
import dev.cria.data.source.books.BookOverlapDedup;
import dev.cria.data.source.books.SimHashBookDedup;
import dev.cria.data.source.github.CodeQuality;
import dev.cria.data.source.github.LicenseFilter;
import dev.cria.data.source.stackexchange.LargestSites;
import dev.cria.data.stage.GlobalStage;
import dev.cria.data.stage.dedup.ExactDedup;

/**
 * The stages of the other LLaMA sources (GitHub, books, StackExchange; Wikipedia and arXiv are cleaned by their
 * readers). Each applies to the documents of one source, parameter {@code source} (default: the stage's own source;
 * {@code "*"}: all), and passes the others through, so one recipe can hold all seven sources.
 */
final class SourceStages {

    private SourceStages() {
    }

    static void register(StageRegistry registry) {
        registry
                // RedPajama's file filter (DATA-RULES §4 step 4): extensions, line lengths, alphanumeric share, alpha/token.
                .perDocument("github_quality", p -> OneSource.of(p.string("source", "github"), new CodeQuality()))
                // Apache, BSD and MIT repositories only (§4 step 1).
                .perDocument("github_license", p -> OneSource.of(p.string("source", "github"), new LicenseFilter()))
                // Exact file dedup on the MD5 of the raw content, first occurrence kept (§4 steps 2-3).
                .global("github_dedup", p -> OneSource.of(p.string("source", "github"), new ExactDedup("content_md5")))
                // Book-level near-dedup (§6): measured overlap (default) or RedPajama's SimHash preset.
                .global("book_dedup", p -> {
                    String source = p.string("source", "books");
                    String method = p.string("method", "overlap");
                    GlobalStage<?> stage = switch (method) {
                        case "overlap" -> new BookOverlapDedup(p.number("threshold", 0.9), (int) p.integer("ngram", 5));
                        case "simhash" -> new SimHashBookDedup();
                        default -> throw new IllegalArgumentException("method: \"" + method + "\" is not one of [overlap, simhash]");
                    };
                    return scoped(source, stage);
                })
                // The n largest StackExchange sites by RedPajama's size (§8; LLaMA: 28).
                .global("stackexchange_sites", p -> OneSource.of(p.string("source", "stackexchange"),
                        new LargestSites((int) p.integer("largest", 28))));
    }

    private static <S extends java.io.Serializable> GlobalStage<S> scoped(String source, GlobalStage<S> stage) {
        return OneSource.of(source, stage);
    }
}
