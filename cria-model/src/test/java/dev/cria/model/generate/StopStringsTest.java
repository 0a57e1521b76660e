package dev.cria.model.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringsTest {

    @Test
    void holdsBackWhatMayStartAStopStringAndNeverShowsIt() {
        StopStrings s = new StopStrings(List.of("World", "\n\n"));
        assertEquals("Hel", s.accept("Hel"));
        assertEquals("lo, ", s.accept("lo, Wo"));
        assertFalse(s.stopped());
        assertEquals("", s.accept("rld! and more"));
        assertTrue(s.stopped());
        assertEquals("", s.accept("anything"));
    }

    @Test
    void releasesHeldTextWhenTheStopStringDoesNotFollow() {
        StopStrings s = new StopStrings(List.of("abc"));
        assertEquals("x", s.accept("xab"));
        assertEquals("abd", s.accept("d"));
        assertEquals("", s.accept("a"));
        assertEquals("a", s.flush());
    }

    @Test
    void theEarliestStopStringWins() {
        StopStrings s = new StopStrings(List.of("cd", "b"));
        assertEquals("a", s.accept("abcd"));
        assertTrue(s.stopped());
    }

    @Test
    void withoutStopStringsEverythingPassesAtOnce() {
        assertEquals("abc", new StopStrings(List.of()).accept("abc"));
        assertThrows(IllegalArgumentException.class, () -> new StopStrings(List.of("")));
    }
}
