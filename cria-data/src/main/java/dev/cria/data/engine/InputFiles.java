package dev.cria.data.engine;

import dev.cria.data.recipe.RecipeException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Expands a source's inputs into files: a file stands for itself, a folder for the regular files directly inside it
 * (hidden files excluded), a glob ({@code *}, {@code ?}, {@code **}, {@code [..]}, {@code {a,b}}) for the files it
 * matches under its longest folder prefix. Each input's files are sorted by path, so shard numbers do not depend on
 * the file system's listing order; a file named twice is read once.
 */
public final class InputFiles {
    private InputFiles() {
    }

    public static List<Path> expand(List<String> inputs, Path baseDir, String where) {
        return expand(inputs, baseDir, where, false);
    }

    /**
     * As {@link #expand(List, Path, String)}; with {@code folders}, a folder named as input stands for itself and globs
     * match folders as well as files (a GitHub source tree is one input).
     */
    public static List<Path> expand(List<String> inputs, Path baseDir, String where, boolean folders) {
        Set<Path> out = new LinkedHashSet<>();
        for (String input : inputs) {
            List<Path> found = expandOne(input, baseDir, where, folders);
            if (found.isEmpty()) {
                throw new RecipeException(where + ": input \"" + input + "\" matches no file (relative paths resolve against "
                        + baseDir + ")");
            }
            out.addAll(found);
        }
        return List.copyOf(out);
    }

    private static List<Path> expandOne(String input, Path baseDir, String where, boolean folders) {
        int glob = firstGlobChar(input);
        try {
            if (glob < 0) {
                Path p = baseDir.resolve(input).normalize();
                if (folders && Files.isDirectory(p)) {
                    return List.of(p);
                }
                if (Files.isDirectory(p)) {
                    try (Stream<Path> s = Files.list(p)) {
                        return s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                                .sorted().toList();
                    }
                }
                return Files.isRegularFile(p) ? List.of(p) : List.of();
            }
            int slash = input.lastIndexOf('/', glob);
            String prefix = slash < 0 ? "" : input.substring(0, slash);
            Path root = baseDir.resolve(prefix).normalize();
            if (!Files.isDirectory(root)) {
                return List.of();
            }
            String pattern = input.substring(slash + 1);
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            List<Path> files = new ArrayList<>();
            int depth = pattern.contains("**") ? Integer.MAX_VALUE : (int) pattern.chars().filter(c -> c == '/').count() + 1;
            try (Stream<Path> s = Files.walk(root, depth)) {
                s.filter(f -> Files.isRegularFile(f) || (folders && Files.isDirectory(f) && !f.equals(root)))
                        .filter(f -> matcher.matches(root.relativize(f))).sorted().forEach(files::add);
            }
            return files;
        } catch (IOException e) {
            throw new RecipeException(where + ": cannot list input \"" + input + "\": " + e.getMessage(), e);
        }
    }

    private static int firstGlobChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            if ("*?[{".indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
