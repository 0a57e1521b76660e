package dev.cria.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the reference files in {@code ../shared/data} (next to the checkout).
 *
 * <p>A test that needs one is skipped with a message when the folder is absent, and fails when
 * {@code CI=true}, so CI never passes by skipping.
 */
public final class SharedData {

    private SharedData() {
    }

    /** The {@code shared/data} folder, or skip/fail as described above. */
    public static Path root() {
        Path found = locate();
        if (found == null) {
            String message = "../shared/data not found (set CRIA_SHARED to the shared folder)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + "; CI=true requires it");
            }
            abort(message + ": skipping");
        }
        return found;
    }

    /** A file under {@code shared/data}; skips or fails like {@link #root()} when it is missing. */
    public static Path file(String relative) {
        Path path = root().resolve(relative);
        if (!Files.exists(path)) {
            String message = "reference file missing: " + path;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message);
            }
            abort(message + ": skipping");
        }
        return path;
    }

    private static Path locate() {
        String env = System.getenv("CRIA_SHARED");
        if (env != null && !env.isBlank()) {
            Path data = Path.of(env).resolve("data");
            if (Files.isDirectory(data)) {
                return data.toAbsolutePath().normalize();
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path data = dir.resolve("shared").resolve("data");
            if (Files.isDirectory(data)) {
                return data.normalize();
            }
        }
        return null;
    }
}
