package dev.cria.data.source.arxiv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.testing.SharedData;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArxivCleanerTest {

    private static String paper(String name) throws IOException {
        return paper(name, ArxivSource.NonUtf8.SKIP_PAPER);
    }

    private static String paper(String name, ArxivSource.NonUtf8 policy) throws IOException {
        ArxivSource.Paper p = ArxivSource.read(SharedData.file("samples/arxiv_tex/" + name), policy);
        assertNull(p.skipReason());
        return ArxivCleaner.cleanPaper(p.files());
    }

    @Test
    void aLatin1FileIsSkippedAsRedPajamaDoesUnlessAskedToDecodeIt() throws IOException {
        ArxivSource.Paper strict = ArxivSource.read(SharedData.file("samples/arxiv_tex/arXiv-1707.08043_main.tex"));
        assertEquals("not_utf8:arXiv-1707.08043_main.tex", strict.skipReason());
        assertTrue(paper("arXiv-1707.08043_main.tex", ArxivSource.NonUtf8.LATIN1).startsWith("\\section*{Introduction}"));
    }

    @Test
    void textStartsAtTheFirstSectionHasNoCommentsNoBibliographyAndExpandedMacros() throws IOException {
        String text = paper("arXiv-1707.08043_main.tex", ArxivSource.NonUtf8.LATIN1);
        assertTrue(text.startsWith("\\section*{Introduction}"), text.substring(0, 60));
        assertFalse(text.lines().anyMatch(l -> l.startsWith("%")), "no comment lines");
        assertFalse(text.contains("thebibliography"));
    }

    @Test
    void theAppendixAndEverythingAfterItIsCut() throws IOException {
        String text = paper("arXiv-1803.07574_main.tex");
        assertFalse(text.contains("\\appendix"));
        assertFalse(text.contains("\\bibliography{"));
    }

    @Test
    void aTarballWithAppleDoubleMembersIsSkippedWholeAsRedPajamaDoesOrKeptWithoutThem() throws IOException {
        var path = SharedData.file("samples/arxiv_tex/arXiv-2004.14974_SciFact_src.tar.gz");
        ArxivSource.Paper strict = ArxivSource.read(path);
        assertTrue(strict.skipReason().startsWith("not_utf8:./._"), strict.skipReason());
        ArxivSource.Paper lenient = ArxivSource.read(path, ArxivSource.NonUtf8.SKIP_MEMBER);
        assertNull(lenient.skipReason());
        String text = ArxivCleaner.cleanPaper(lenient.files());
        assertTrue(text.contains("\\section"), "multi-file paper keeps its sections");
    }

    @Test
    void aSingleTexInsideATarballIsReadAndItsMacrosExpanded() throws IOException {
        String text = paper("arXiv-1911.02782_S2ORC_src.tar.gz");
        assertTrue(text.startsWith("\\section"), text.substring(0, 40));
        assertFalse(text.matches("(?s).*\\\\scibert[^a-zA-Z0-9].*"), "\\scibert is expanded");
        assertTrue(text.contains("\\textsc{SciBERT}"));
    }

    @Test
    void inlineCommentsTakeThePrecedingCharacterAndEscapedPercentStays() {
        String cleaned = ArxivCleaner.clean("\\section{A}\nWe got 50\\% more.\nText here% a comment\n% full line\nEnd.\n", Map.of());
        assertEquals("\\section{A}\nWe got 50\\% more.\nText her\nEnd.\n", cleaned);
    }

    @Test
    void onlyArgumentFreeMacrosAreExpandedAndOnlyBeforeANonAlphanumeric() {
        var macros = ArxivCleaner.macros(java.util.List.of("\\newcommand{\\ds}{dataset}\n\\newcommand{\\f}[1]{#1}\n\\def\\x{X}\n"));
        assertEquals(Map.of("\\ds", "dataset", "\\x", "X"), macros);
        assertEquals("\\section{S}\nthe dataset, \\dsa and X.", ArxivCleaner.clean("\\section{S}\nthe \\ds, \\dsa and \\x.", macros));
    }
}
