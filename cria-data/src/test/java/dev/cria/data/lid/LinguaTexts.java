package dev.cria.data.lid;

import dev.cria.testing.SharedData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Lingua evaluation texts in ../shared/data/lid/lingua-eval, one file per category and language. */
final class LinguaTexts {
    static final List<String> CATEGORIES = List.of("sentences", "word-pairs", "single-words");

    private LinguaTexts() {
    }

    static Path model() {
        return SharedData.file("lid/lid.176.ftz");
    }

    /** The language files of one category, sorted by name. */
    static List<Path> files(String category) throws IOException {
        try (Stream<Path> s = Files.list(SharedData.file("lid/lingua-eval/" + category))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
        }
    }

    /**
     * Every line of every language file of {@code category} (each keeping every {@code stride}-th line) into one file
     * at {@code target}, each line ending with a newline; returns the language (file name) of each line.
     */
    static List<String> concatenate(String category, int stride, Path target) throws IOException {
        List<String> languages = new ArrayList<>();
        try (OutputStream out = Files.newOutputStream(target)) {
            for (Path file : files(category)) {
                String language = file.getFileName().toString().replace(".txt", "");
                byte[] bytes = Files.readAllBytes(file);
                int start = 0;
                int line = 0;
                for (int i = 0; i <= bytes.length; i++) {
                    if (i == bytes.length ? i > start : bytes[i] == '\n') {
                        if (line++ % stride == 0) {
                            out.write(bytes, start, i - start);
                            out.write('\n');
                            languages.add(language);
                        }
                        start = i + 1;
                    }
                }
            }
        }
        return languages;
    }
}
