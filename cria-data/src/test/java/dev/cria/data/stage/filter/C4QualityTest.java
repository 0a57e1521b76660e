package dev.cria.data.stage.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cria.data.Document;
import dev.cria.data.stage.Outcome;
import java.util.Map;
import org.junit.jupiter.api.Test;

class C4QualityTest {

    private static Outcome run(C4Quality stage, String text) {
        return stage.apply(new Document("d", text, "test", Map.of()));
    }

    private static final String GOOD = """
            The committee met on Tuesday to discuss the budget.
            Several members raised concerns about the timeline!
            Was the proposal ready for a final vote?
            """;

    @Test
    void keepsLinesEndingInPunctuationWithFiveWordsAndDropsTheRest() {
        String text = GOOD + "Click here\nRead more about our work here\nThis one trails off into nothing...\n";
        Outcome o = run(new C4Quality(), text);
        assertEquals(GOOD.strip(), ((Outcome.Keep) o).document().text());
    }

    @Test
    void citationMarkersAreRemovedBeforeWordsAreCountedUnderTfds() {
        Outcome o = run(new C4Quality(), GOOD + "Four words only here.[12]\n");
        assertEquals(GOOD.strip(), ((Outcome.Keep) o).document().text());
        Outcome paper = run(new C4Quality(C4Quality.Preset.PAPER, true),
                GOOD + "The fourth sentence sits here.\nAnd here is the fifth one[3].\n");
        assertEquals(GOOD.strip() + "\nThe fourth sentence sits here.\nAnd here is the fifth one.",
                ((Outcome.Keep) paper).document().text());
    }

    @Test
    void loremIpsumAndCurlyBracketsDropTheWholePage() {
        assertEquals(new Outcome.Drop("lorem_ipsum"), run(new C4Quality(), GOOD + "Lorem ipsum dolor sit amet, consectetur.\n"));
        assertEquals(new Outcome.Drop("curly_bracket"), run(new C4Quality(), GOOD + "function x() { return 1; } is code here.\n"));
    }

    @Test
    void javascriptAndPolicyLinesGoButThePageStays() {
        Outcome o = run(new C4Quality(), GOOD + "Please enable JavaScript in your browser now.\nRead our privacy policy before you continue.\n");
        assertEquals(GOOD.strip(), ((Outcome.Keep) o).document().text());
    }

    @Test
    void thePaperPresetNeedsFiveSentences() {
        assertEquals(new Outcome.Drop("too_few_sentences"), run(new C4Quality(C4Quality.Preset.PAPER, true), GOOD));
    }

    @Test
    void aWordLongerThanAThousandCharactersDropsItsLine() {
        Outcome o = run(new C4Quality(), GOOD + "word " + "x".repeat(1001) + " is far too long.\n");
        assertEquals(GOOD.strip(), ((Outcome.Keep) o).document().text());
    }
}
