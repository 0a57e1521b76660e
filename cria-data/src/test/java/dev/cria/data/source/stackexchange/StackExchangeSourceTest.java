package dev.cria.data.source.stackexchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cria.data.Document;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackExchangeSourceTest {

    /**
     * The markup every StackExchange body is written in. Code samples may show other tags as text (escaped in the
     * post, so they are text after parsing, as with BeautifulSoup), so those are not looked for.
     */
    private static final Pattern TAG = Pattern.compile("</?(p|strong|em|blockquote|li|ol|ul)>|<a href=|<br ?/?>");

    private static StackExchangeSource.Site site(String file, String host, StackExchangeSource.ScoreOrder order) throws IOException {
        return StackExchangeSource.read(SharedData.file("samples/stackexchange/" + file), host, order);
    }

    @Test
    void everyTextStartsWithQAndCarriesNoHtmlTagsInBothSchemas() throws IOException {
        for (String[] s : List.of(new String[] {"coffee.stackexchange.com-Posts.xml", "coffee.stackexchange.com"},
                new String[] {"bicycles.meta.stackexchange.com-Posts.xml", "bicycles.meta.stackexchange.com"})) {
            List<Document> docs = site(s[0], s[1], StackExchangeSource.ScoreOrder.NUMERIC).documents();
            assertTrue(docs.size() > 100, s[0] + ": " + docs.size());
            for (Document d : docs) {
                assertTrue(d.text().startsWith("Q: "), d.id());
                assertFalse(TAG.matcher(d.text()).find(), d.id() + " has a tag: " + d.text());
            }
        }
    }

    @Test
    void theFirstCoffeeQuestionHasItsTitleBodyAndThreeAnswersBestFirst() throws IOException {
        Document first = site("coffee.stackexchange.com-Posts.xml", "coffee.stackexchange.com",
                StackExchangeSource.ScoreOrder.NUMERIC).documents().get(0);
        assertTrue(first.text().startsWith("Q: How should I store whole bean coffee? I just got a pound of microroasted"));
        assertEquals(3, first.text().split("\nA: ").length - 1);
        assertEquals("https://coffee.stackexchange.com/questions/1", first.meta().get("url"));
    }

    @Test
    void redPajamasStringOrderPutsNineBeforeTen(@TempDir Path dir) throws IOException {
        Path xml = dir.resolve("Posts.xml");
        Files.writeString(xml, """
                <?xml version="1.0" encoding="utf-8"?>
                <posts>
                  <row Id="1" PostTypeId="1" Score="3" Title="Which?" Body="&lt;p&gt;Q body&lt;/p&gt;" />
                  <row Id="2" PostTypeId="2" ParentId="1" Score="10" Body="&lt;p&gt;ten&lt;/p&gt;" />
                  <row Id="3" PostTypeId="2" ParentId="1" Score="9" Body="&lt;ol&gt;&lt;li&gt;nine&lt;/li&gt;&lt;/ol&gt;" />
                  <row Id="4" PostTypeId="2" ParentId="99" Score="1" Body="orphan" />
                  <row Id="5" PostTypeId="5" Score="0" Body="tag wiki without title" />
                </posts>
                """);
        var numeric = StackExchangeSource.read(xml, "x.stackexchange.com", StackExchangeSource.ScoreOrder.NUMERIC);
        assertEquals("Q: Which? Q body\nA: ten\nA: \n*\n*nine", numeric.documents().get(0).text());
        var string = StackExchangeSource.read(xml, "x.stackexchange.com", StackExchangeSource.ScoreOrder.STRING);
        assertEquals("Q: Which? Q body\nA: \n*\n*nine\nA: ten", string.documents().get(0).text());
        assertEquals(1, numeric.documents().size());
        assertEquals(1, numeric.answersWithoutQuestion());
    }

    @Test
    void aDumpCutOffMidRowIsAClearErrorWithItsLine(@TempDir Path dir) throws IOException {
        Path xml = dir.resolve("Posts.xml");
        Files.writeString(xml, "<?xml version=\"1.0\"?>\n<posts>\n  <row Id=\"1\" Title=\"t\" Bo");
        IOException e = assertThrows(IOException.class, () -> StackExchangeSource.read(xml, "x", StackExchangeSource.ScoreOrder.NUMERIC));
        assertTrue(e.getMessage().contains("malformed XML at line 3"), e.getMessage());
    }
}
