package dev.cria.data.mixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MixtureTest {

    @Test
    void tableOnesEpochsFollowFromItsDiskSizes() {
        // Unique tokens implied by Table 1 (1.4T × share / epochs); the plan must give the epochs back.
        Map<String, Long> unique = new LinkedHashMap<>();
        double[][] table = {{0.670, 1.10}, {0.150, 1.06}, {0.045, 0.64}, {0.045, 2.45}, {0.045, 2.23}, {0.025, 1.06}, {0.020, 1.03}};
        String[] names = {"commoncrawl", "c4", "github", "wikipedia", "books", "arxiv", "stackexchange"};
        for (int i = 0; i < names.length; i++) {
            unique.put(names[i], Math.round(1.4e12 * table[i][0] / table[i][1]));
        }
        Map<String, Mixture.SourcePlan> plan = Mixture.llama().plan(unique, 1_400_000_000_000L);
        for (int i = 0; i < names.length; i++) {
            assertEquals(table[i][1], plan.get(names[i]).epochs(), 1e-6, names[i]);
        }
    }

    @Test
    void absentSourcesAreLeftOutAndTheOthersRenormalized() {
        Map<String, Mixture.SourcePlan> plan = Mixture.llama().plan(Map.of("wikipedia", 1000L, "books", 1000L), 4000);
        assertEquals(2000, plan.get("wikipedia").targetTokens());
        assertEquals(2.0, plan.get("books").epochs(), 1e-12);
    }

    @Test
    void copiesAverageToTheEpochsAndAreStableAcrossRuns() {
        long total = 0;
        for (int d = 0; d < 100_000; d++) {
            total += Mixture.copies(1.3, 7, "wikipedia", "doc-" + d);
        }
        assertEquals(1.3, total / 100_000.0, 0.01);
        assertEquals(Mixture.copies(0.64, 1, "github", "a/b.py"), Mixture.copies(0.64, 1, "github", "a/b.py"));
        assertTrue(Mixture.copies(2.0, 1, "books", "x") == 2);
    }
}
