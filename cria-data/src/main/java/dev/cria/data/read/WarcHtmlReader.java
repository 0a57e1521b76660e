package dev.cria.data.read;

import dev.cria.data.Document;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipException;
import org.jsoup.Jsoup;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcTruncationReason;

/**
 * WARC files ({@code .warc}, {@code .warc.gz}, gzip per record or whole): each HTTP {@code response} record with a
 * 2xx status and an HTML payload becomes a document whose text is the page's visible text ({@link HtmlText}).
 * Chunked transfer encoding and gzip/deflate/brotli content encoding are undone first.
 *
 * <p>Counted as skipped: records of other types, non-2xx responses, non-HTML payloads. Counted as bad: records the
 * crawler marked truncated ({@code WARC-Truncated}) and payloads that end early ({@code truncated}), HTTP messages that
 * do not parse ({@code bad_http}), and a file that stops parsing as WARC ({@code bad_warc}: the rest of that file is
 * lost, since records cannot be framed again after a broken one). A target URI in angle brackets ({@code <http://...>},
 * as wget 1.14–1.20 wrote it) is read without them.
 */
public final class WarcHtmlReader implements DocumentReader {
    /** Payloads larger than this are cut (a WARC can hold videos); Common Crawl itself truncates at 1 MiB. */
    private static final int MAX_PAYLOAD = 16 << 20;

    private final Path file;
    private final String source;
    private final CountingInputStream raw;
    private final WarcReader warc;
    private final ReadReport report = new ReadReport();
    private boolean done;

    public WarcHtmlReader(Path file, String source) throws IOException {
        this.file = file;
        this.source = source;
        this.raw = new CountingInputStream(new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file), 1 << 16));
        try {
            this.warc = new WarcReader(raw);
        } catch (IOException | IllegalArgumentException e) {
            raw.close();
            throw new IOException(file + ": not a WARC file: " + e.getMessage(), e);
        }
    }

    @Override
    public ReadReport report() {
        report.bytesRead(raw.count());
        return report;
    }

    @Override
    public Document next() throws IOException {
        while (!done) {
            long position = warc.position();
            Optional<WarcRecord> next;
            try {
                next = warc.next();
            } catch (EOFException | ZipException e) {
                report.bad(bad(position, "truncated", "the file ends inside a record: " + e.getMessage()));
                break;
            } catch (IOException | RuntimeException e) {
                report.bad(bad(position, "bad_warc", "expected a WARC record header: " + e.getMessage()));
                break;
            }
            if (next.isEmpty()) {
                break;
            }
            report.record();
            Document d = toDocument(next.get(), position);
            if (d != null) {
                report.document();
                return d;
            }
        }
        done = true;
        report();
        return null;
    }

    private Document toDocument(WarcRecord record, long position) {
        if (!(record instanceof WarcResponse response)) {
            report.skip("warc_type_" + record.type());
            return null;
        }
        if (record.truncated() != WarcTruncationReason.NOT_TRUNCATED) {
            report.bad(bad(position, "truncated", "WARC-Truncated: " + record.truncated().name().toLowerCase(Locale.ROOT)));
            return null;
        }
        String url = record.headers().first("WARC-Target-URI").orElse("").trim();
        if (url.startsWith("<") && url.endsWith(">")) {
            url = url.substring(1, url.length() - 1);
        }
        HttpResponse http;
        try {
            http = response.http();
        } catch (IOException | RuntimeException e) {
            report.bad(bad(position, "bad_http", "expected an HTTP response: " + e.getMessage()));
            return null;
        }
        if (http.status() < 200 || http.status() > 299) {
            report.skip("http_status_" + (http.status() / 100) + "xx");
            return null;
        }
        MediaType type = http.contentType();
        String base = type.base().toString().toLowerCase(Locale.ROOT);
        if (!base.equals("text/html") && !base.equals("application/xhtml+xml")) {
            report.skip("not_html");
            return null;
        }
        byte[] payload;
        try (InputStream in = http.bodyDecoded().stream()) {
            payload = in.readNBytes(MAX_PAYLOAD);
        } catch (EOFException | ZipException e) {
            report.bad(bad(position, "truncated", "the HTTP payload ends early: " + e.getMessage()));
            return null;
        } catch (IOException | RuntimeException e) {
            report.bad(bad(position, "bad_http", "cannot decode the HTTP payload: " + e.getMessage()));
            return null;
        }
        org.jsoup.nodes.Document page;
        try {
            page = Jsoup.parse(new ByteArrayInputStream(payload), charset(type), url);
        } catch (IOException e) {
            report.bad(bad(position, "bad_html", e.getMessage()));
            return null;
        }
        String text = HtmlText.of(page);
        if (text.isEmpty()) {
            report.skip("empty_text");
            return null;
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("url", url);
        meta.put("date_download", record.headers().first("WARC-Date").orElse(""));
        meta.put("title", page.title());
        meta.put("content_type", base);
        meta.put("http_status", http.status());
        record.headers().first("WARC-Payload-Digest").ifPresent(d -> meta.put("digest", d));
        meta.put("warc_file", file.getFileName().toString());
        String id = record.headers().first("WARC-Record-ID").orElse(url);
        return new Document(id, text, source, meta);
    }

    /** The charset the HTTP header names, when Java knows it; null lets jsoup look for a BOM or a meta tag. */
    private static String charset(MediaType type) {
        String name = type.parameters().get("charset");
        if (name == null) {
            return null;
        }
        try {
            return Charset.forName(name.trim().replace("\"", "")).name();
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return null;
        }
    }

    private BadRecord bad(long position, String kind, String detail) {
        return new BadRecord(file.toString(), position, "byte", kind, detail);
    }

    @Override
    public void close() throws IOException {
        warc.close();
        raw.close();
    }
}
