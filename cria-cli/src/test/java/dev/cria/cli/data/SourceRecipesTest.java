package dev.cria.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cria.cli.CliRun;
import dev.cria.testing.SharedData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example recipes of the five non-web LLaMA sources, run with {@code cria data run RECIPE --input SAMPLES --output
 * DIR} as a user would, and checked against what DATA-RULES.md §4–§8 predicts.
 */
class SourceRecipesTest {

    // Shards may hold documents longer than Jackson's default 20 MB string limit (the 30 MB line of SourceBadInputTest).
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build());

    @TempDir
    Path tmp;

    static Path recipe(String name) {
        Path p = Path.of("..", "recipes", name).toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(p), p + " is missing");
        return p;
    }

    /** Runs {@code recipe} on {@code input}; returns the output folder. */
    Path run(Path recipe, Path input) {
        Path out = tmp.resolve("out-" + recipe.getFileName());
        CliRun run = CliRun.run("data", "run", recipe.toString(), "--input", input.toString(), "--output", out.toString(),
                "--threads", "2");
        assertEquals(0, run.exitCode(), run.stderr());
        return out;
    }

    static List<JsonNode> documents(Path out) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("part-\\d+\\.jsonl\\.gz")).sorted().toList()) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(f)),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        docs.add(JSON.readTree(line));
                    }
                }
            }
        }
        return docs;
    }

    static JsonNode funnel(Path out) throws IOException {
        return JSON.readTree(out.resolve("funnel.json").toFile());
    }

    @Test
    void arxivTextStartsAtTheFirstSectionWithoutCommentsBibliographyOrMacros() throws IOException {
        Path samples = SharedData.file("samples/arxiv_tex");
        Path out = run(recipe("arxiv.yaml"), samples);
        List<JsonNode> docs = documents(out);
        // RedPajama's default skips the two papers with a member that is not UTF-8 (a Latin-1 .tex; AppleDouble files).
        assertEquals(Set.of("arXiv-1803.07574_main.tex", "arXiv-1911.02782_S2ORC_src"),
                Set.copyOf(docs.stream().map(d -> d.get("id").asText()).toList()));
        JsonNode source = funnel(out).get("sources").get(0);
        assertEquals(2, source.get("skipped").get("not_utf8").asLong());
        assertEquals(1, source.get("skipped").get("not_tex").asLong(), "the .bbl file");
        for (JsonNode d : docs) {
            String text = d.get("text").asText();
            assertTrue(text.matches("(?s)\\\\(section|subsection|subsubsection|chapter|part)\\*?[\\[{].*"), text.substring(0, 80));
            for (String line : text.split("\n")) {
                assertFalse(line.startsWith("%"), "comment line left: " + line);
            }
            for (String end : List.of("\\begin{thebibliography}", "\\bibliography{", "\\begin{references}", "\\appendix")) {
                assertFalse(text.contains(end), end);
            }
        }
        // S2ORC's main.tex defines argument-free macros such as \newcommand{\gorc}{\textsc{S2ORC}\xspace}: none is left.
        String s2orc = docs.stream().filter(d -> d.get("id").asText().contains("S2ORC")).findFirst().orElseThrow().get("text").asText();
        Set<String> defined = noArgumentMacros(tarMember(samples.resolve("arXiv-1911.02782_S2ORC_src.tar.gz"), "main.tex"));
        assertTrue(defined.size() >= 10, defined.toString());
        for (String macro : defined) {
            assertFalse(Pattern.compile(Pattern.quote(macro) + "(?![A-Za-z0-9])").matcher(s2orc).find(), macro + " not expanded");
        }
        assertTrue(s2orc.contains("\\textsc{S2ORC}\\xspace"), "the value of \\gorc is in the text");
    }

    /** Names of {@code \newcommand{\name}{value}} definitions that take no argument and end their line (DATA-RULES §7). */
    private static Set<String> noArgumentMacros(String tex) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\\\newcommand\\*?\\{(\\\\[A-Za-z0-9]+)\\}\\{.*\\}\\s*$").matcher(tex);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String tarMember(Path tarGz, String name) throws IOException {
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(tarGz)))) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.getName().replaceFirst("^\\./", "").equals(name)) {
                    return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new IOException(name + " not in " + tarGz);
    }

    @Test
    void arxivLatin1PolicyKeepsTheLatin1Paper() throws IOException {
        Path recipe = tmp.resolve("arxiv-latin1.yaml");
        Files.writeString(recipe, Files.readString(recipe("arxiv.yaml")).replace("non_utf8: skip_paper", "non_utf8: latin1"));
        List<JsonNode> docs = documents(run(recipe, SharedData.file("samples/arxiv_tex")));
        assertEquals(4, docs.size());
        assertTrue(docs.stream().anyMatch(d -> d.get("id").asText().equals("arXiv-1707.08043_main.tex")));
    }

    @Test
    void wikipediaLeavesNoWikitextMarkupAndSkipsLanguagesOutsideThePapersTwenty() throws IOException {
        Path out = run(recipe("wikipedia.yaml"), SharedData.file("samples/wikipedia_xml"));
        List<JsonNode> docs = documents(out);
        assertTrue(docs.size() > 50, "articles: " + docs.size());
        Pattern markup = Pattern.compile("\\[\\[|\\]\\]|\\{\\{|\\}\\}|'''|''|<ref|</ref>|<!--|-->|__[A-Z]+__|(?m)^\\{\\||(?m)^\\|\\}"
                + "|(?m)^=+[^=\\n]+=+\\s*$|\\[https?://");
        Set<String> languages = new HashSet<>();
        for (JsonNode d : docs) {
            String text = d.get("text").asText();
            Matcher m = markup.matcher(text);
            assertFalse(m.find(), () -> d.get("id").asText() + ": markup left near \""
                    + text.substring(Math.max(0, m.start() - 40), Math.min(text.length(), m.end() + 40)) + "\"");
            languages.add(d.get("meta").get("language").asText());
        }
        assertEquals(Set.of("en", "bg"), languages, "the UTF-16 Bulgarian dump is read");
        JsonNode source = funnel(out).get("sources").get(0);
        assertEquals(1, source.get("skipped").get("language_not_selected_ltg").asLong(), "tinywiki is Latgalian");
        assertTrue(source.get("skipped").get("redirect").asLong() > 0);
    }

    @Test
    void stackExchangeTextsStartWithQAndCarryNoHtml() throws IOException {
        Path out = run(recipe("stackexchange.yaml"), SharedData.file("samples/stackexchange"));
        List<JsonNode> docs = documents(out);
        assertTrue(docs.size() > 100, "questions: " + docs.size());
        // The tags StackExchange's renderer writes. Posts about HTML hold escaped tags (&lt;span&gt;), which are text.
        Pattern html = Pattern.compile("</?(p|a|li|ul|ol|code|pre|strong|em|blockquote|h[1-6]|hr|br|img)(\\s[^>]*)?/?>");
        Set<String> sites = new HashSet<>();
        for (JsonNode d : docs) {
            String text = d.get("text").asText();
            assertTrue(text.startsWith("Q: "), text);
            Matcher m = html.matcher(text);
            assertFalse(m.find(), () -> d.get("id").asText() + ": " + m.group());
            sites.add(d.get("meta").get("site").asText());
        }
        assertEquals(Set.of("coffee.stackexchange.com", "bicycles.meta.stackexchange.com"), sites);
    }

    @Test
    void stackExchangeKeepsOnlyTheLargestSites() throws IOException {
        Path recipe = tmp.resolve("se-1.yaml");
        Files.writeString(recipe, Files.readString(recipe("stackexchange.yaml")).replace("largest: 28", "largest: 1"));
        Path samples = SharedData.file("samples/stackexchange");
        Path out = run(recipe, samples);
        long coffee = lines(samples.resolve("coffee.stackexchange.com-Posts.xml"));
        long bicycles = lines(samples.resolve("bicycles.meta.stackexchange.com-Posts.xml"));
        String larger = coffee > bicycles ? "coffee.stackexchange.com" : "bicycles.meta.stackexchange.com";
        List<JsonNode> docs = documents(out);
        assertFalse(docs.isEmpty());
        assertTrue(docs.stream().allMatch(d -> d.get("meta").get("site").asText().equals(larger)));
        assertTrue(funnel(out).get("stages").get(0).get("dropped").get("site_not_among_largest").get("documents").asLong() > 0);
    }

    private static long lines(Path p) throws IOException {
        try (Stream<String> s = Files.lines(p)) {
            return s.count();
        }
    }

    private static final List<String> PRIDE_AND_PREJUDICE = List.of("GITenberg_1342-0", "GITenberg_1342", "GITenberg_old_pandp10",
            "GITenberg_old_pandp12", "clocasto_pg1342", "gutenbergbooks_1342-0_illustrated");

    @Test
    void booksDefaultRecipeClustersTheSixPrideAndPrejudiceEditionsAndKeepsTheOthersApart() throws IOException {
        Path out = run(recipe("books.yaml"), SharedData.file("samples/books"));
        List<JsonNode> docs = documents(out);
        Set<String> kept = new TreeSet<>(docs.stream().map(d -> d.get("id").asText()).toList());
        assertEquals(10, kept.size(), kept.toString());
        assertEquals(1, PRIDE_AND_PREJUDICE.stream().filter(kept::contains).count(), kept.toString());
        JsonNode dropped = funnel(out).get("stages").get(0).get("dropped");
        assertEquals(1, dropped.size(), "one cluster: " + dropped);
        String reason = dropped.fieldNames().next();
        assertTrue(reason.startsWith("near_duplicate_of_"), reason);
        String keeper = reason.substring("near_duplicate_of_".length());
        assertTrue(PRIDE_AND_PREJUDICE.contains(keeper), keeper);
        assertEquals(5, dropped.get(reason).get("documents").asLong());
        JsonNode kept1342 = docs.stream().filter(d -> d.get("id").asText().equals(keeper)).findFirst().orElseThrow();
        Set<String> cluster = new TreeSet<>();
        kept1342.get("meta").get("near_duplicates").forEach(n -> cluster.add(n.asText()));
        cluster.add(keeper);
        assertEquals(new TreeSet<>(PRIDE_AND_PREJUDICE), cluster);
        for (JsonNode d : docs) {
            assertFalse(d.get("text").asText().contains("*** START OF"), "Gutenberg header left in " + d.get("id"));
        }
    }

    @Test
    void booksSimHashPresetClustersTheFivePlainEditions() throws IOException {
        Path recipe = tmp.resolve("books-simhash.yaml");
        Files.writeString(recipe, Files.readString(recipe("books.yaml"))
                .replace("- book_dedup: {method: overlap, threshold: 0.9, ngram: 5}", "- book_dedup: {method: simhash}"));
        Path out = run(recipe, SharedData.file("samples/books"));
        Set<String> kept = new TreeSet<>(documents(out).stream().map(d -> d.get("id").asText()).toList());
        assertEquals(11, kept.size(), kept.toString());
        assertTrue(kept.contains("gutenbergbooks_1342-0_illustrated"), "the illustrated edition with a preface stays apart");
        assertEquals(2, PRIDE_AND_PREJUDICE.stream().filter(kept::contains).count(), kept.toString());
    }

    @Test
    void githubKeepsPermissiveRepositoriesDeduplicatesFilesAndFiltersThem() throws Exception {
        Path repos = Files.createDirectories(tmp.resolve("repos"));
        Path mit = Files.createDirectories(repos.resolve("mit-repo/src"));
        Files.writeString(repos.resolve("mit-repo/LICENSE"), Files.readString(SharedData.file("samples/github_licenses/mit.txt")));
        String main = """
                /*
                 * Copyright 2021 Example Authors. Licensed under the MIT licence.
                 */
                package demo;

                /** Adds the numbers a user typed on the command line and prints their sum. */
                public class Main {
                    public static void main(String[] args) {
                        long sum = 0;
                        for (String a : args) {
                            sum += Long.parseLong(a);
                        }
                        System.out.println(sum);
                    }
                }
                """;
        Files.writeString(mit.resolve("Main.java"), main);
        Files.writeString(mit.resolve("Copy.java"), main);
        Files.writeString(mit.resolve("notes.txt"), "notes are not among the whitelisted extensions\n");
        Files.writeString(mit.resolve("table.js"), "var t=[" + "1,".repeat(800) + "1];\n");
        Files.write(mit.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});
        Path gpl = Files.createDirectories(tmp.resolve("gpl-src"));
        Files.writeString(gpl.resolve("COPYING"), Files.readString(SharedData.file("samples/github_licenses/gpl-3.0.txt")));
        Files.writeString(gpl.resolve("tool.py"), "def main():\n    print('a tool under the GPL')\n");
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new java.util.zip.GZIPOutputStream(Files.newOutputStream(repos.resolve("gpl-repo.tar.gz"))))) {
            for (String name : List.of("COPYING", "tool.py")) {
                byte[] bytes = Files.readAllBytes(gpl.resolve(name));
                var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("./" + name);
                e.setSize(bytes.length);
                tar.putArchiveEntry(e);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
        // A BigQuery-style row with the same raw content as Main.java: a duplicate across inputs.
        Files.writeString(repos.resolve("rows.jsonl"), JSON.writeValueAsString(java.util.Map.of("repo", "other/repo", "path",
                "Main.java", "license", "apache-2.0", "content", main)) + "\n");
        Path out = run(recipe("github.yaml"), Path.of(repos + "/*"));
        List<JsonNode> docs = documents(out);
        Set<String> paths = new TreeSet<>(docs.stream().map(d -> d.get("meta").get("repo").asText() + "/" + d.get("meta").get("path").asText()).toList());
        assertEquals(Set.of("mit-repo/src/Copy.java"), paths, "Copy.java sorts first; its twins are exact duplicates");
        JsonNode kept = docs.getFirst();
        assertEquals("MIT", kept.get("meta").get("license").asText());
        assertTrue(kept.get("text").asText().startsWith("\npackage demo;"), "the copyright block comment is stripped");
        JsonNode f = funnel(out);
        assertEquals(1, f.get("sources").get(0).get("skipped").get("binary").asLong());
        JsonNode stages = f.get("stages");
        assertEquals(2, stages.get(0).get("dropped").get("license_not_permissive").get("documents").asLong(), "COPYING and tool.py");
        long duplicates = 0;
        for (JsonNode reason : stages.get(1).get("dropped")) {
            duplicates += reason.get("documents").asLong();
        }
        assertEquals(2, duplicates, "Main.java and the JSONL row repeat Copy.java byte for byte");
        assertEquals(1, stages.get(2).get("dropped").get("extension").get("documents").asLong(), "notes.txt");
        assertEquals(1, stages.get(2).get("dropped").get("max_line_length").get("documents").asLong(), "table.js, 1,608 characters");
    }

    @Test
    void theJdksSourceZipIsReadWholeAndItsFilesCarryNoPermissiveLicence() throws IOException {
        Path srcZip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(srcZip), "this JDK has no lib/src.zip");
        long entries;
        try (var zip = new java.util.zip.ZipFile(srcZip.toFile())) {
            entries = zip.stream().filter(e -> !e.isDirectory()).count();
        }
        Path recipe = tmp.resolve("jdk.yaml");
        Files.writeString(recipe, "sources:\n  - {name: github, reader: github}\nstages:\n  - github_license\n");
        Path out = run(recipe, srcZip);
        JsonNode source = funnel(out).get("sources").get(0);
        assertEquals(entries, source.get("records").asLong());
        assertEquals(0, source.get("bad_records").size());
        // Its GPL-with-Classpath-exception texts sit in the JDK's legal/ folder, outside the zip: licence unknown.
        JsonNode dropped = funnel(out).get("stages").get(0).get("dropped");
        assertEquals(source.get("documents").asLong(), dropped.get("license_unknown").get("documents").asLong());
        assertTrue(documents(out).isEmpty());
    }

    @Test
    void aMavenJarIsAnApacheLicensedRepository() throws Exception {
        Path jar = Path.of(org.apache.commons.compress.archivers.tar.TarArchiveEntry.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI());
        Path recipe = tmp.resolve("jar.yaml");
        Files.writeString(recipe, "sources:\n  - {name: github, reader: github}\nstages:\n  - github_license\n");
        Path out = run(recipe, jar);
        List<JsonNode> docs = documents(out);
        assertFalse(docs.isEmpty());
        assertTrue(docs.stream().allMatch(d -> d.get("meta").get("license").asText().equals("Apache-2.0")));
        assertTrue(funnel(out).get("sources").get(0).get("skipped").get("binary").asLong() > 100, "class files");
    }

    @Test
    void arxivBulkTarIsReadPaperByPaper() throws IOException {
        Path samples = SharedData.file("samples/arxiv_tex");
        Path bulk = tmp.resolve("arXiv_src_2004_001.tar");
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(bulk))) {
            for (String[] m : new String[][] {{"arXiv-1911.02782_S2ORC_src.tar.gz", "2004/1911.02782.gz"},
                    {"arXiv-2004.14974_SciFact_src.tar.gz", "2004/2004.14974.gz"}, {"arXiv-1803.07574_main.bbl", "2004/1803.07574.pdf"}}) {
                byte[] bytes = Files.readAllBytes(samples.resolve(m[0]));
                var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(m[1]);
                e.setSize(bytes.length);
                tar.putArchiveEntry(e);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
        Path out = run(recipe("arxiv.yaml"), bulk);
        List<JsonNode> docs = documents(out);
        assertEquals(List.of("1911.02782"), docs.stream().map(d -> d.get("id").asText()).toList());
        assertTrue(docs.getFirst().get("text").asText().startsWith("\\section{Introduction}"));
        JsonNode source = funnel(out).get("sources").get(0);
        assertEquals(1, source.get("skipped").get("not_utf8").asLong(), "SciFact's AppleDouble members");
        assertEquals(1, source.get("skipped").get("not_tex").asLong(), "the PDF");
    }
}
