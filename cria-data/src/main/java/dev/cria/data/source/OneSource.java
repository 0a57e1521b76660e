package dev.cria.data.source;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.StageContext;
import java.io.Serializable;

/**
 * Limits a stage to the documents of one source, passing the others through untouched, so a recipe that mixes the
 * seven LLaMA sources can run GitHub's filters on GitHub files only. A {@code source} of {@code *} applies to all.
 */
public final class OneSource {

    private OneSource() {
    }

    static boolean applies(String source, Document d) {
        return source.equals("*") || source.equals(d.source());
    }

    public static DocumentStage of(String source, DocumentStage stage) {
        return new DocumentStage() {
            private static final long serialVersionUID = 1L;

            @Override
            public String name() {
                return stage.name();
            }

            @Override
            public void open(StageContext context) {
                stage.open(context);
            }

            @Override
            public Outcome apply(Document document) {
                return applies(source, document) ? stage.apply(document) : Outcome.keep(document);
            }
        };
    }

    public static <S extends Serializable> GlobalStage<S> of(String source, GlobalStage<S> stage) {
        return new GlobalStage<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public String name() {
                return stage.name();
            }

            @Override
            public S emptySummary() {
                return stage.emptySummary();
            }

            @Override
            public S observe(S summary, Document document) {
                return applies(source, document) ? stage.observe(summary, document) : summary;
            }

            @Override
            public S merge(S earlier, S later) {
                return stage.merge(earlier, later);
            }

            @Override
            public DocumentStage decide(S summary) {
                return of(source, stage.decide(summary));
            }

            @Override
            public int shardGroup() {
                return stage.shardGroup();
            }
        };
    }
}
