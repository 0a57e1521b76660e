package dev.cria.data.stage.basic;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;
import java.util.List;

/**
 * Keeps documents whose meta field {@code field} is one of {@code values} (as text), e.g. RedPajama keeping CCNet's
 * {@code head} and {@code middle} buckets only (DATA-RULES §2.8). Drop reason: {@code FIELD_not_in_list}, or
 * {@code FIELD_missing}.
 */
public record MetaFilter(String name, String field, List<String> values) implements DocumentStage {

    public MetaFilter {
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("meta_filter needs at least one value in \"in\"");
        }
    }

    @Override
    public Outcome apply(Document document) {
        Object v = document.meta().get(field);
        if (v == null) {
            return Outcome.drop(field + "_missing");
        }
        return values.contains(v.toString()) ? Outcome.keep(document) : Outcome.drop(field + "_not_in_list");
    }
}
