package dev.cria.data.source.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.data.Document;
import dev.cria.data.stage.Outcome;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GithubSourceTest {

    /** The licence text of a choosealicense.com file: what follows the front matter, placeholders filled in. */
    private static String body(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        int end = s.indexOf("\n---", 3);
        return s.substring(end + 4).replace("[year]", "2019").replace("[fullname]", "Ada Lovelace and Contributors");
    }

    private static String spdx(Path file) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("spdx-id:")) {
                return line.substring(8).strip();
            }
        }
        throw new IllegalStateException("no spdx-id in " + file);
    }

    @Test
    void keepsExactlyTheMitBsdAndApacheLicencesOfTheFortySevenTexts() throws IOException {
        int named = 0;
        try (Stream<Path> files = Files.list(SharedData.file("samples/github_licenses"))) {
            for (Path f : files.sorted().toList()) {
                String expected = spdx(f);
                Optional<String> got = LicenseClassifier.classify(body(f));
                boolean keep = got.map(LicenseClassifier::isKept).orElse(false);
                assertEquals(LicenseClassifier.isKept(expected), keep, f.getFileName() + " classified as " + got);
                if (got.isPresent()) {
                    assertEquals(expected, got.get(), f.getFileName().toString());
                    named++;
                }
            }
        }
        assertTrue(named >= 25, "named " + named + " of 47");
    }

    @Test
    void rewrappedTextWithAnotherCopyrightLineIsStillMit() throws IOException {
        String mit = body(SharedData.file("samples/github_licenses/mit.txt")).replace("\n", " ")
                .replace("Copyright (c) 2019 Ada Lovelace and Contributors", "Copyright 2001-2024 The Example Project");
        assertEquals(Optional.of("MIT"), LicenseClassifier.classify(mit));
    }

    @Test
    void theJdksLicenceIsGplAndNotKept() throws IOException {
        Path jdkLicense = Path.of(System.getProperty("java.home"), "legal", "java.base", "LICENSE");
        Optional<String> got = LicenseClassifier.classify(Files.readString(jdkLicense));
        assertEquals(Optional.of("GPL-2.0"), got);
    }

    @Test
    void aMavenJarIsApacheLicensedAndItsClassFilesAreSkippedAsBinary() throws Exception {
        Path jar = Path.of(org.apache.commons.compress.archivers.tar.TarArchiveEntry.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI());
        List<Document> docs = new ArrayList<>();
        GithubSource.Report report = GithubSource.read(jar, docs::add);
        assertEquals("Apache-2.0", report.license());
        assertTrue(report.binary() > 100, "class files are binary: " + report);
        assertTrue(docs.stream().noneMatch(d -> d.meta().get("path").toString().endsWith(".class")));
    }

    @Test
    void aSourceTreeGetsItsHeadersStrippedAndItsFilesFiltered(@TempDir Path repo) throws IOException {
        Files.writeString(repo.resolve("LICENSE"), body(SharedData.file("samples/github_licenses/bsd-3-clause.txt")));
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/Main.java"), """
                /*
                 * Copyright 2019 Ada Lovelace. Licensed under the BSD licence.
                 */
                package demo;

                /** Prints a greeting for the user who runs the program from a terminal. */
                public class Main {
                    public static void main(String[] args) {
                        System.out.println("Hello, world, from a small demonstration program");
                    }
                }
                """);
        Files.writeString(repo.resolve("src/run.sh"), "#!/bin/sh\n# build script\n\necho building the project now\n");
        Files.writeString(repo.resolve("data.bin"), "\u0000\u0001binary");
        Files.writeString(repo.resolve("notes.txt"), "plain notes are not in the whitelist of extensions\n");
        Files.writeString(repo.resolve("min.js"), "var a=" + "1,".repeat(700) + "1;\n");
        List<Document> docs = new ArrayList<>();
        GithubSource.Report report = GithubSource.read(repo, docs::add);
        assertEquals("BSD-3-Clause", report.license());
        assertEquals(1, report.binary());
        assertEquals(1, report.skippedByName(), "the root LICENSE file itself");
        Map<String, Document> byPath = new java.util.HashMap<>();
        docs.forEach(d -> byPath.put(d.meta().get("path").toString(), d));
        assertTrue(byPath.get("src/Main.java").text().startsWith("\npackage demo;"), byPath.get("src/Main.java").text());
        assertEquals("echo building the project now\n", byPath.get("src/run.sh").text());
        CodeQuality quality = new CodeQuality();
        assertInstanceOf(Outcome.Keep.class, quality.apply(byPath.get("src/Main.java")));
        assertEquals(new Outcome.Drop("extension"), quality.apply(byPath.get("notes.txt")));
        assertEquals(new Outcome.Drop("max_line_length"), quality.apply(byPath.get("min.js")));
        assertInstanceOf(Outcome.Keep.class, new LicenseFilter().apply(byPath.get("src/Main.java")));
    }

    @Test
    void aCommentWithoutCopyrightStaysAndOnlyTheFirstBlockCommentCounts() {
        String code = "/* helper functions */\nint x;\n/* Copyright 2020 */\n";
        assertEquals(code, CodeHeaders.strip(code));
    }
}
