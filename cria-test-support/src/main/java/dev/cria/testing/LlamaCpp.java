package dev.cria.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * llama.cpp as a live reference: node-llama-cpp's prebuilt CPU libraries (libggml-base.so, libllama.so) and its
 * JavaScript API, installed by {@code tools/llama-cpp/install.sh} from the npm registry. Missing: the test is
 * skipped with a message, or fails when {@code CI=true} (CI installs it).
 */
public final class LlamaCpp {
    private static final String LIBS = "node_modules/@node-llama-cpp/linux-x64/bins/linux-x64";

    private LlamaCpp() {
    }

    /** {@code tools/llama-cpp} of this checkout (it holds package.json and, once installed, node_modules). */
    public static Path toolsDir() {
        String env = System.getenv("CRIA_LLAMA_CPP");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("tools").resolve("llama-cpp");
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                return candidate;
            }
        }
        return null;
    }

    /** The folder holding libggml-base.so and libllama.so; skips or fails the test when it is not installed. */
    public static Path libraryDir() {
        Path tools = toolsDir();
        Path libs = tools == null ? null : tools.resolve(LIBS);
        if (libs == null || !Files.isRegularFile(libs.resolve("libggml-base.so"))) {
            missing();
        }
        return libs;
    }

    /** The node-llama-cpp module entry point for {@code import} in Node scripts; skips or fails when absent. */
    public static Path nodeModule() {
        Path tools = toolsDir();
        Path entry = tools == null ? null : tools.resolve("node_modules/node-llama-cpp/dist/index.js");
        if (entry == null || !Files.isRegularFile(entry) || ReferenceTool.find("node") == null) {
            missing();
        }
        return entry;
    }

    private static void missing() {
        String message = "llama.cpp reference not installed (run tools/llama-cpp/install.sh; needs npm)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + "; CI=true requires it");
        }
        abort(message + ": skipping");
    }
}
