package dev.cria.data.read;

import dev.cria.data.Document;
import dev.cria.data.source.SourceReader;
import dev.cria.data.source.arxiv.ArxivReader;
import dev.cria.data.source.arxiv.ArxivSource;
import dev.cria.data.source.books.GutenbergReader;
import dev.cria.data.source.github.GithubReader;
import dev.cria.data.source.stackexchange.StackExchangeReader;
import dev.cria.data.source.stackexchange.StackExchangeSource;
import dev.cria.data.source.wikipedia.MediaWikiReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The reader types a recipe names ({@code reader: wet}), and the options each takes. */
public enum ReaderKind {
    /** Common Crawl WET; option {@code text}: {@code ccnet} (default), {@code c4} or {@code raw} ({@link WetText}). */
    WET,
    /** WARC with HTML responses. No options. */
    WARC,
    /** JSON Lines; option {@code text_field} (default {@code text}). */
    JSONL,
    /**
     * GitHub repositories ({@link GithubReader}): a source tree (a folder), zip, jar, tar, tar.gz, or JSONL of
     * {@code {repo, path, content, license}}. No options.
     */
    GITHUB,
    /**
     * MediaWiki XML dumps, plain or bz2 ({@link MediaWikiReader}); option {@code languages}: {@code llama} (default, the
     * paper's 20), {@code all}, or codes separated by commas ({@code en,de}).
     */
    WIKIPEDIA,
    /** Project Gutenberg {@code .txt} books, boilerplate removed ({@link GutenbergReader}). No options. */
    BOOKS,
    /**
     * arXiv sources: one paper per tarball, {@code .gz} or {@code .tex}, or many per bulk {@code .tar}
     * ({@link ArxivReader}); option {@code non_utf8}:
     * {@code skip_paper} (default, RedPajama), {@code skip_member} or {@code latin1}.
     */
    ARXIV,
    /**
     * StackExchange {@code Posts.xml}, one site per file ({@link StackExchangeReader}); option {@code score_order}:
     * {@code numeric} (default) or {@code string} (RedPajama's order).
     */
    STACKEXCHANGE;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The keys of all readers, for messages. */
    public static String known() {
        return String.join(", ", Arrays.stream(values()).map(ReaderKind::key).toList());
    }

    /** Opens {@code file} with validated {@code options} (see {@link #optionNames}). */
    public DocumentReader open(Path file, String source, Map<String, String> options) throws IOException {
        return open(file, source, options, 0, Long.MAX_VALUE);
    }

    /**
     * Opens the records of {@code file} that start in [{@code start}, {@code end}); only {@link #canSlice} readers on
     * uncompressed files take a range other than the whole file.
     */
    public DocumentReader open(Path file, String source, Map<String, String> options, long start, long end) throws IOException {
        boolean whole = start == 0 && end == Long.MAX_VALUE;
        if (!whole && !canSlice(file)) {
            throw new IllegalArgumentException(file + ": the " + key() + " reader cannot read a slice of this file");
        }
        return switch (this) {
            case WET -> new WetReader(file, source, WetText.valueOf(options.getOrDefault("text", "ccnet").toUpperCase(Locale.ROOT)),
                    start, end);
            case WARC -> new WarcHtmlReader(file, source);
            case JSONL -> new JsonlReader(file, source, options.getOrDefault("text_field", "text"), start, end);
            case GITHUB -> metered(new GithubReader(file, source));
            case WIKIPEDIA -> metered(new MediaWikiReader(file, source, languages(options.getOrDefault("languages", "llama"))));
            case BOOKS -> metered(new GutenbergReader(file, source));
            case ARXIV -> metered(new ArxivReader(file, source,
                    ArxivSource.NonUtf8.valueOf(options.getOrDefault("non_utf8", "skip_paper").toUpperCase(Locale.ROOT))));
            case STACKEXCHANGE -> metered(new StackExchangeReader(file, source,
                    StackExchangeSource.ScoreOrder.valueOf(options.getOrDefault("score_order", "numeric").toUpperCase(Locale.ROOT))));
        };
    }

    /** {@code llama} → the paper's 20 languages, {@code all} → null (any), else the listed codes. */
    static Set<String> languages(String option) {
        return switch (option) {
            case "llama" -> MediaWikiReader.LLAMA_LANGUAGES;
            case "all" -> null;
            default -> Set.copyOf(Arrays.stream(option.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
        };
    }

    /** Whether a file can be split into byte slices read independently: WET and JSONL, uncompressed. */
    public boolean canSlice(Path file) {
        return (this == WET || this == JSONL) && Compression.of(file) == Compression.NONE;
    }

    /** Whether a folder given as input is one input (a GitHub source tree) rather than the files inside it. */
    public boolean readsFolders() {
        return this == GITHUB;
    }

    /** Option names and, for each, the values it allows (empty: any string). */
    public Map<String, List<String>> optionNames() {
        return switch (this) {
            case WET -> Map.of("text", List.of("ccnet", "c4", "raw"));
            case WARC, GITHUB, BOOKS -> Map.of();
            case JSONL -> Map.of("text_field", List.of());
            case WIKIPEDIA -> Map.of("languages", List.of());
            case ARXIV -> Map.of("non_utf8", List.of("skip_paper", "skip_member", "latin1"));
            case STACKEXCHANGE -> Map.of("score_order", List.of("numeric", "string"));
        };
    }

    /** Passes the source reader's byte count on to its report, which the funnel's MB/s reads. */
    private static <R extends DocumentReader & SourceReader> DocumentReader metered(R reader) {
        return new DocumentReader() {
            @Override
            public Document next() throws IOException {
                Document d = reader.next();
                reader.report().bytesRead(reader.bytesRead());
                return d;
            }

            @Override
            public ReadReport report() {
                return reader.report();
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }
}
