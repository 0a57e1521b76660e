package dev.cria.data.read;

import dev.cria.data.Document;
import dev.cria.data.text.PythonText;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipException;

/**
 * Common Crawl WET files ({@code .warc.wet}, {@code .warc.wet.gz} with one gzip member per record).
 *
 * <p>Records are split as CCNet and C4 split them: a record starts at a line equal to {@code WARC/1.0}, its header
 * ends at the first empty line, its body runs to the next {@code WARC/1.0} line. The body length is not taken from
 * {@code Content-Length}, because the reference pipelines never did and their own test files (CCNet's, C4's) carry
 * lengths that do not match their bodies. Headers are read by name, so both Common Crawl layouts (before 2020, and
 * later with {@code WARC-Identified-Content-Language} inserted) give the same fields — CCNet read them by position
 * and broke on the newer layout (DATA-RULES §2.2).
 *
 * <p>Only {@code conversion} records become documents; {@code warcinfo} and others are counted as skipped. A record
 * whose header has no end (the file stops inside it) or whose gzip member is cut short is counted as
 * {@code truncated} and skipped; a record without {@code WARC-Type} or {@code WARC-Target-URI}, or with a header line
 * that is not {@code Name: value}, is counted as {@code bad_header}.
 */
public final class WetReader implements DocumentReader {
    private static final String MAGIC = "WARC/1.0";

    private final Path file;
    private final String source;
    private final WetText mode;
    private final CountingInputStream raw;
    private final LineInput lines;
    private final ReadReport report = new ReadReport();
    private final String segment;
    private final boolean compressed;
    private boolean atRecordStart;
    private final long end;
    private final boolean sliced;
    private boolean done;
    private long recordStart;
    private byte[] body = new byte[1 << 16];
    private int bodyLength;

    public WetReader(Path file, String source, WetText mode) throws IOException {
        this(file, source, mode, 0, Long.MAX_VALUE);
    }

    /**
     * Reads the records of an uncompressed file whose {@code WARC/1.0} line starts in [{@code start}, {@code end}):
     * slices that tile a file give every record exactly once.
     */
    public WetReader(Path file, String source, WetText mode, long start, long end) throws IOException {
        this.file = file;
        this.source = source;
        this.mode = mode;
        this.end = end;
        this.sliced = start > 0;
        CountingInputStream[] counting = new CountingInputStream[1];
        // From start - 1, so that the partial line read first ends just before the first line starting at >= start.
        InputStream in = Compression.open(file, sliced ? start - 1 : 0, counting);
        this.raw = counting[0];
        this.lines = new LineInput(in, sliced ? start - 1 : 0);
        if (sliced) {
            lines.next();
        }
        this.segment = file.getFileName().toString();
        this.compressed = Compression.of(file) != Compression.NONE;
    }

    @Override
    public ReadReport report() {
        report.bytesRead(raw.count());
        return report;
    }

    @Override
    public Document next() throws IOException {
        while (!done) {
            try {
                Document d = readRecord();
                if (d != null) {
                    report.document();
                    return d;
                }
            } catch (EOFException | ZipException e) {
                // A gzip member cut short (a partial download): the rest of the file cannot be framed again.
                report.bad(bad(recordStart, "truncated", "compressed stream ends inside the record: " + e.getMessage()));
                done = true;
            }
        }
        report();
        return null;
    }

    /** Reads one record; null when it made no document (or at the end). */
    private Document readRecord() throws IOException {
        if (!atRecordStart) {
            // Find the first record; anything before it is not WET.
            long junkAt = -1;
            while (true) {
                if (!lines.next()) {
                    if (junkAt >= 0) {
                        report.bad(bad(junkAt, "not_wet", "no line " + MAGIC + " starts a record"));
                    }
                    done = true;
                    return null;
                }
                if (lines.strippedEquals(MAGIC)) {
                    break;
                }
                if (junkAt < 0 && !sliced && !lines.isBlank()) {
                    junkAt = lines.lineStart();
                }
            }
            if (junkAt >= 0) {
                report.bad(bad(junkAt, "not_wet", "text before the first " + MAGIC + " line"));
            }
            atRecordStart = true;
        }
        recordStart = lines.lineStart();
        if (recordStart >= end) {
            done = true;
            return null;
        }
        report.record();
        Map<String, String> headers = new LinkedHashMap<>();
        String badHeader = null;
        while (true) {
            if (!lines.next()) {
                report.bad(bad(recordStart, "truncated", "the file ends inside the record header"));
                done = true;
                return null;
            }
            if (lines.isBlank()) {
                break;
            }
            String h = lines.stripped();
            int colon = h.indexOf(':');
            if (colon <= 0) {
                if (badHeader == null) {
                    badHeader = "header line \"" + abbreviate(h) + "\" is not Name: value";
                }
                continue;
            }
            headers.putIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        bodyLength = 0;
        atRecordStart = false;
        while (lines.next()) {
            if (lines.strippedEquals(MAGIC)) {
                atRecordStart = true;
                break;
            }
            appendBody(lines.bytes(), lines.length());
        }
        if (!atRecordStart) {
            done = true;
        }
        if (badHeader != null) {
            report.bad(bad(recordStart, "bad_header", badHeader));
            return null;
        }
        String type = headers.get("warc-type");
        if (type == null) {
            report.bad(bad(recordStart, "bad_header", "no WARC-Type header"));
            return null;
        }
        if (!type.equals("conversion")) {
            report.skip("warc_type_" + type);
            return null;
        }
        String url = headers.get("warc-target-uri");
        if (url == null || url.isEmpty()) {
            report.bad(bad(recordStart, "bad_header", "conversion record without WARC-Target-URI"));
            return null;
        }
        return document(headers, url, new String(body, 0, bodyLength, StandardCharsets.UTF_8));
    }

    /** Keeps the body's bytes, lines ended by {@code \n}; decoded once per record, not once per line. */
    private void appendBody(byte[] line, int n) {
        if (bodyLength + n + 1 > body.length) {
            body = java.util.Arrays.copyOf(body, Math.max(body.length * 2, bodyLength + n + 1));
        }
        System.arraycopy(line, 0, body, bodyLength, n);
        bodyLength += n;
        body[bodyLength++] = '\n';
    }

    private Document document(Map<String, String> headers, String url, String raw) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("url", url);
        meta.put("date_download", headers.getOrDefault("warc-date", ""));
        meta.put("digest", headers.getOrDefault("warc-block-digest", ""));
        StringBuilder text = new StringBuilder(raw.length());
        String title = null;
        int kept = 0;
        int lastNonBlank = 0;
        for (int start = 0; start < raw.length(); ) {
            int end = raw.indexOf('\n', start);
            if (end < 0) {
                end = raw.length();
            }
            int a = start;
            int b = end;
            start = end + 1;
            if (mode == WetText.RAW) {
                if (b > a && raw.charAt(b - 1) == '\r') {
                    b--;
                }
                if (!text.isEmpty() || kept > 0) {
                    text.append('\n');
                }
                text.append(raw, a, b);
                kept++;
                if (!raw.substring(a, b).isBlank()) {
                    lastNonBlank = text.length();
                }
                continue;
            }
            while (a < b && PythonText.isWhitespace(raw.charAt(a))) {
                a++;
            }
            while (b > a && PythonText.isWhitespace(raw.charAt(b - 1))) {
                b--;
            }
            if (a == b) {
                continue;
            }
            if (mode == WetText.C4 && (raw.startsWith("WARC", a) || raw.startsWith("CONTENT-", a) || raw.startsWith("Content-", a))) {
                continue;
            }
            if (mode == WetText.CCNET && title == null) {
                title = raw.substring(a, b);
                kept++;
                continue;
            }
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(raw, a, b);
            kept++;
        }
        if (mode == WetText.RAW) {
            text.setLength(lastNonBlank);
        }
        if (kept == 0 || text.isEmpty() && mode != WetText.CCNET) {
            report.skip("empty_body");
            return null;
        }
        if (mode == WetText.CCNET) {
            meta.put("length", parseLength(headers.get("content-length")));
            meta.put("nlines", kept - 1);
            meta.put("source_domain", netloc(url));
            meta.put("title", title);
        }
        String language = headers.get("warc-identified-content-language");
        if (language != null) {
            meta.put("cc_content_language", language);
        }
        meta.put("cc_segment", segment);
        String id = headers.getOrDefault("warc-record-id", url);
        return new Document(id, text.toString(), source, meta);
    }

    private static Object parseLength(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The URL's host[:port], Python's {@code urlparse(url).netloc} for the URLs Common Crawl writes. */
    static String netloc(String url) {
        try {
            String authority = URI.create(url).getRawAuthority();
            if (authority != null) {
                return authority;
            }
        } catch (IllegalArgumentException e) {
            // Fall through to the textual split: Common Crawl keeps URLs that java.net.URI rejects.
        }
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return "";
        }
        int start = scheme + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return url.substring(start, end);
    }

    private BadRecord bad(long position, String kind, String detail) {
        return new BadRecord(file.toString(), position, compressed ? "uncompressed byte" : "byte", kind, detail);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
