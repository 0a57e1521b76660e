package dev.cria.data.stage.dedup;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.GlobalStage;
import dev.cria.data.stage.Outcome;
import java.io.Serializable;
import java.util.HashMap;

/**
 * C4's URL deduplication (DATA-RULES §3.1 step 3): pages are grouped by normalized URL and one is kept, the one with
 * the newest timestamp (TFDS 3.x); equal timestamps keep the first in shard order. Timestamps compare as strings,
 * which orders the ISO-8601 {@code WARC-Date} values Common Crawl writes.
 */
public final class C4UrlDedup implements GlobalStage<C4UrlDedup.Newest> {

    private static final long serialVersionUID = 1L;

    /** Per normalized URL: the newest timestamp and the page that has it. */
    public static final class Newest implements Serializable {
        private static final long serialVersionUID = 1L;
        final HashMap<String, String[]> byUrl = new HashMap<>();

        void offer(String url, String timestamp, String key) {
            String[] best = byUrl.get(url);
            if (best == null || timestamp.compareTo(best[0]) > 0) {
                byUrl.put(url, new String[] {timestamp, key});
            }
        }
    }

    private final String urlField;
    private final String timestampField;

    public C4UrlDedup(String urlField, String timestampField) {
        this.urlField = urlField;
        this.timestampField = timestampField;
    }

    /** The fields the WET reader fills: {@code url} (WARC-Target-URI) and {@code date_download} (WARC-Date). */
    public C4UrlDedup() {
        this("url", "date_download");
    }

    @Override
    public String name() {
        return "c4_url_dedup";
    }

    /** C4's {@code normalize_url}: no scheme, no leading {@code www.}, no tracking query, no trailing slash. */
    public static String normalizeUrl(String url) {
        String u = url.strip();
        if (u.startsWith("https://")) {
            u = u.substring(8);
        } else if (u.startsWith("http://")) {
            u = u.substring(7);
        }
        if (u.startsWith("www.")) {
            u = u.substring(4);
        }
        for (String marker : new String[] {"?utm_", "?ref", "?feed"}) {
            int i = u.indexOf(marker);
            if (i >= 0) {
                u = u.substring(0, i);
            }
        }
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    private String url(Document d) {
        Object u = d.meta().get(urlField);
        return normalizeUrl(u == null ? d.id() : u.toString());
    }

    private String timestamp(Document d) {
        Object t = d.meta().get(timestampField);
        return t == null ? "" : t.toString();
    }

    @Override
    public Newest emptySummary() {
        return new Newest();
    }

    @Override
    public Newest observe(Newest summary, Document document) {
        summary.offer(url(document), timestamp(document), Digests.key(document));
        return summary;
    }

    @Override
    public Newest merge(Newest earlier, Newest later) {
        later.byUrl.forEach((url, best) -> earlier.offer(url, best[0], best[1]));
        return earlier;
    }

    @Override
    public DocumentStage decide(Newest summary) {
        return new DocumentStage() {
            private static final long serialVersionUID = 1L;

            @Override
            public String name() {
                return "c4_url_dedup";
            }

            @Override
            public Outcome apply(Document document) {
                String[] best = summary.byUrl.get(url(document));
                return best != null && best[1].equals(Digests.key(document))
                        ? Outcome.keep(document) : Outcome.drop("duplicate_url");
            }
        };
    }
}
