package dev.cria.data.stage.filter;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.stage.StageContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * C4's bad-words filter (DATA-RULES §3.1 step 7, §11.1): a page is removed when its lower-cased text contains any
 * word of the list (one per line, LDNOOBW at the commit C4 pinned) flanked by a non-word character or the string's
 * edge; for Japanese, Thai and Chinese no boundaries apply. datatrove's allow-list keeps {@code sm}, {@code グロ},
 * {@code 女の子} (ja) and {@code 性} (zh) from matching.
 */
public final class C4BadWords implements DocumentStage {

    private static final long serialVersionUID = 1L;

    private final String wordListFile;
    private final String language;
    private transient Pattern pattern;

    /**
     * @param wordListFile the list, one word or phrase per line (relative paths resolve against the recipe's folder)
     * @param language ISO 639-1 code of the list, which decides whether word boundaries apply
     */
    public C4BadWords(String wordListFile, String language) {
        this.wordListFile = wordListFile;
        this.language = language;
    }

    @Override
    public String name() {
        return "c4_badwords";
    }

    @Override
    public void open(StageContext context) {
        Path file = context.recipeDir() == null ? Path.of(wordListFile) : context.recipeDir().resolve(wordListFile);
        try {
            pattern = compile(Files.readAllLines(file, StandardCharsets.UTF_8), language);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bad-words list " + file, e);
        }
    }

    static Pattern compile(List<String> lines, String language) {
        Set<String> allowed = switch (language) {
            case "ja" -> Set.of("sm", "グロ", "女の子");
            case "zh" -> Set.of("性");
            default -> Set.of();
        };
        List<String> words = new ArrayList<>();
        for (String line : lines) {
            String w = line.strip().toLowerCase(Locale.ROOT);
            if (!w.isEmpty() && !allowed.contains(w)) {
                words.add(Pattern.quote(w));
            }
        }
        String alternatives = words.stream().collect(Collectors.joining("|"));
        boolean boundaries = !Set.of("ja", "th", "zh").contains(language);
        String regex = boundaries ? "(?:\\W|^)(?:" + alternatives + ")(?:\\W|$)" : "(?:" + alternatives + ")";
        return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
    }

    @Override
    public Outcome apply(Document document) {
        if (pattern == null) {
            throw new IllegalStateException("c4_badwords used before open()");
        }
        return pattern.matcher(document.text().toLowerCase(Locale.ROOT)).find()
                ? Outcome.drop("badword") : Outcome.keep(document);
    }
}
