package dev.cria.data.source.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.data.Document;
import dev.cria.data.read.BadRecord;
import dev.cria.data.read.DocumentReader;
import dev.cria.data.read.ReadReport;
import dev.cria.data.source.MeteredInputStream;
import dev.cria.data.source.SourceReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * The GitHub source as the engine reads it (DATA-RULES §4). An input is one repository — a source tree (a folder), a
 * zip or jar, a tar or tar.gz — read by {@link GithubSource} (licence from its LICENSE/COPYING files, headers stripped,
 * binary files skipped), or a JSON Lines file ({@code .jsonl}, {@code .jsonl.gz}) of BigQuery-style rows
 * {@code {repo, path, content, license}} where each row is one file and the row's licence is taken as given. A corrupt
 * archive gives the files read before the damage and one {@code corrupt_archive} bad record; a JSONL row that is not
 * JSON or lacks {@code content} is one bad record with its line number.
 */
public final class GithubReader implements DocumentReader, SourceReader {

    // Jackson refuses strings over 20 MB by default; a file's content may be one long line (minified code, data).
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build());

    private final Path input;
    private final String source;
    private final ReadReport report = new ReadReport();
    private final BufferedReader rows;
    private final RepositoryFiles files;
    private final String license;
    private boolean filesDone;
    private long fileCount;
    private long bytes;
    private final MeteredInputStream metered;
    private long line;

    public GithubReader(Path input, String source) throws IOException {
        this.input = input;
        this.source = source;
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".jsonl.gz")) {
            metered = new MeteredInputStream(Files.newInputStream(input));
            var in = name.endsWith(".gz") ? new GZIPInputStream(metered, 1 << 16) : metered;
            rows = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            files = null;
            license = null;
        } else {
            metered = null;
            rows = null;
            license = licenseOf(input);
            files = RepositoryFiles.open(input);
        }
    }

    /**
     * The repository's licence, from its licence files (root, {@code META-INF/}, {@code legal/}), in a first pass that
     * reads only those. A damaged archive is reported by the second pass, which meets the same damage.
     */
    private static String licenseOf(Path input) throws IOException {
        TreeMap<String, byte[]> candidates = new TreeMap<>();
        try (RepositoryFiles all = RepositoryFiles.open(input)) {
            RepositoryFiles.File f;
            while ((f = all.next(GithubSource::isLicenseFile)) != null) {
                if (f.content() != null) {
                    candidates.put(f.path(), f.content());
                }
            }
        } catch (IOException e) {
            if (!Files.isReadable(input)) {
                throw e;
            }
        }
        return GithubSource.detectLicense(candidates);
    }

    /** The repository's licence (an SPDX id or {@code unknown}); null for JSONL input, where each row names its own. */
    public String license() {
        return license;
    }

    @Override
    public Document next() throws IOException {
        if (files != null) {
            return nextFile();
        }
        String text;
        while ((text = readRow()) != null) {
            if (text.isBlank()) {
                continue;
            }
            report.record();
            Document d = row(text);
            if (d != null) {
                report.document();
                return d;
            }
        }
        return null;
    }

    private Document nextFile() throws IOException {
        while (!filesDone) {
            RepositoryFiles.File f;
            try {
                f = files.next(path -> true);
            } catch (IOException e) {
                if (!Files.isReadable(input)) {
                    throw e;
                }
                filesDone = true;
                report.record();
                report.bad(new BadRecord(input.toString(), fileCount, "file", "corrupt_archive",
                        "archive damaged after " + fileCount + " files: " + e.getMessage()));
                return null;
            }
            if (f == null) {
                filesDone = true;
                return null;
            }
            fileCount++;
            bytes += f.content().length;
            report.record();
            String path = f.path();
            if (path.endsWith(".crt") || path.equals("LICENSE")) {
                report.skip("licence_or_certificate_file");
                continue;
            }
            String content = GithubSource.utf8Text(f.content());
            if (content == null) {
                report.skip("binary");
                continue;
            }
            String repo = input.getFileName().toString();
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("repo", repo);
            meta.put("path", path);
            meta.put("license", license);
            meta.put("content_md5", GithubSource.md5(f.content()));
            report.document();
            return new Document(repo + "/" + path, CodeHeaders.strip(content), source, meta);
        }
        return null;
    }

    private String readRow() throws IOException {
        try {
            String s = rows.readLine();
            if (s != null) {
                line++;
            }
            return s;
        } catch (IOException e) {
            // A gzip stream that ends early: the rows before it stand, the rest cannot be framed.
            report.record();
            report.bad(new BadRecord(input.toString(), line + 1, "line", "truncated", e.getMessage()));
            return null;
        }
    }

    private Document row(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            report.bad(new BadRecord(input.toString(), line, "line", "bad_json", e.getOriginalMessage()));
            return null;
        }
        JsonNode content = node == null ? null : node.get("content");
        if (content == null || !content.isTextual()) {
            report.bad(new BadRecord(input.toString(), line, "line", "missing_content",
                    "expected an object with a string field \"content\" (and repo, path, license)"));
            return null;
        }
        String repo = node.path("repo").asText(node.path("repo_name").asText("unknown"));
        String path = node.path("path").asText("line-" + line);
        String license = node.path("license").asText("unknown");
        String raw = content.asText();
        if (raw.indexOf('\u0000') >= 0) {
            report.skip("binary");
            return null;
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("repo", repo);
        meta.put("path", path);
        meta.put("license", license);
        meta.put("content_md5", GithubSource.md5(raw.getBytes(StandardCharsets.UTF_8)));
        return new Document(repo + "/" + path, CodeHeaders.strip(raw), source, meta);
    }

    @Override
    public ReadReport report() {
        return report;
    }

    @Override
    public long bytesRead() {
        if (metered != null) {
            return metered.count();
        }
        // Uncompressed bytes of the files read: an archive's compressed position is not visible through its stream.
        return bytes;
    }

    @Override
    public void close() throws IOException {
        if (rows != null) {
            rows.close();
        }
        if (files != null) {
            files.close();
        }
    }
}
