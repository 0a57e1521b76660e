package dev.cria.data.stage.dedup;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.text.PythonText;
import dev.cria.data.text.SentenceCounter;
import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * C4's global line deduplication (DATA-RULES §3.1 step 5): for every line (stripped, lower-cased, keyed by its MD5)
 * exactly one page keeps it — the page whose URL's MD5 sorts first —; every page also drops repeats of a line within
 * itself, and a page left empty or with fewer than 3 sentences is dropped.
 */
public final class C4LineDedup implements GlobalStage<C4LineDedup.Owners> {

    private static final long serialVersionUID = 1L;

    /** Per line key: the smallest URL digest among the pages that hold the line. */
    public static final class Owners implements Serializable {
        private static final long serialVersionUID = 1L;
        final HashMap<Long, Long> owner = new HashMap<>();

        void offer(long line, long url) {
            owner.merge(line, url, (x, y) -> Long.compareUnsigned(x, y) <= 0 ? x : y);
        }
    }

    private final String urlField;

    public C4LineDedup(String urlField) {
        this.urlField = urlField;
    }

    public C4LineDedup() {
        this("url");
    }

    @Override
    public String name() {
        return "c4_line_dedup";
    }

    private long urlDigest(Document d) {
        Object u = d.meta().get(urlField);
        return Digests.md5(u == null ? d.id() : u.toString());
    }

    private static long lineKey(String line) {
        return Digests.md5(PythonText.strip(line).toLowerCase(Locale.ROOT));
    }

    @Override
    public Owners emptySummary() {
        return new Owners();
    }

    @Override
    public Owners observe(Owners summary, Document document) {
        long url = urlDigest(document);
        for (String line : document.text().split("\n", -1)) {
            summary.offer(lineKey(line), url);
        }
        return summary;
    }

    @Override
    public Owners merge(Owners earlier, Owners later) {
        later.owner.forEach(earlier::offer);
        return earlier;
    }

    @Override
    public DocumentStage decide(Owners summary) {
        return new DocumentStage() {
            private static final long serialVersionUID = 1L;

            @Override
            public String name() {
                return "c4_line_dedup";
            }

            @Override
            public Outcome apply(Document document) {
                long url = urlDigest(document);
                Set<Long> seen = new HashSet<>();
                StringBuilder out = new StringBuilder();
                int sentences = 0;
                for (String line : document.text().split("\n", -1)) {
                    long key = lineKey(line);
                    Long owner = summary.owner.get(key);
                    if (owner == null || owner != url || !seen.add(key)) {
                        continue;
                    }
                    if (!out.isEmpty()) {
                        out.append('\n');
                    }
                    out.append(line);
                    sentences += SentenceCounter.count(line);
                }
                if (out.isEmpty()) {
                    return Outcome.drop("all_lines_duplicated");
                }
                if (sentences < 3) {
                    return Outcome.drop("too_few_sentences_after_dedup");
                }
                return Outcome.keep(document.withText(out.toString()));
            }
        };
    }
}
