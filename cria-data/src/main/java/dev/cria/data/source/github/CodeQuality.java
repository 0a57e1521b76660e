package dev.cria.data.source.github;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;
import dev.cria.data.text.PythonText;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * RedPajama's GitHub filter (DATA-RULES §4 step 4) on a file whose header was already stripped: the extension
 * whitelist (case-sensitive, plus the file names Dockerfile and Makefile), at most 1000 characters in the longest
 * line, at most 100 characters per line on average (newline characters counted, as there), at least 25 %
 * alphanumeric characters, and at least 1.5 letters per token. RedPajama counted tokens with a Pythia tokenizer;
 * here they are runs of letters or digits and single other non-space characters, the count Dolma's port also uses
 * in spirit (a whitespace-regex), so the stage needs no tokenizer file.
 */
public final class CodeQuality implements DocumentStage {

    private static final long serialVersionUID = 1L;

    static final Set<String> EXTENSIONS = Set.of(".asm", ".bat", ".cmd", ".c", ".h", ".cs", ".cpp", ".hpp", ".c++",
            ".h++", ".cc", ".hh", ".C", ".H", ".cmake", ".css", ".dockerfile", ".f90", ".f", ".f03", ".f08", ".f77", ".f95",
            ".for", ".fpp", ".go", ".hs", ".html", ".java", ".js", ".jl", ".lua", ".md", ".markdown", ".php", ".php3",
            ".php4", ".php5", ".phps", ".phpt", ".pl", ".pm", ".pod", ".perl", ".ps1", ".psd1", ".psm1", ".py", ".rb",
            ".rs", ".sql", ".scala", ".sh", ".bash", ".command", ".zsh", ".ts", ".tsx", ".tex", ".vb", ".xml", ".rst",
            ".m", ".smali");
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+|[^\\s\\p{L}\\p{N}]");

    @Override
    public String name() {
        return "github_quality";
    }

    static boolean whitelisted(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        if (file.equals("Dockerfile") || file.equals("Makefile")) {
            return true;
        }
        int dot = file.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(file.substring(dot));
    }

    @Override
    public Outcome apply(Document document) {
        Object p = document.meta().get("path");
        String path = p == null ? document.id() : p.toString();
        String text = document.text();
        if (text.isEmpty()) {
            return Outcome.drop("empty");
        }
        if (!whitelisted(path)) {
            return Outcome.drop("extension");
        }
        List<String> lines = PythonText.splitlines(text);
        int longest = 0;
        for (String line : lines) {
            longest = Math.max(longest, PythonText.length(line));
        }
        if (longest > 1000) {
            return Outcome.drop("max_line_length");
        }
        if ((double) PythonText.length(text) / Math.max(1, lines.size()) > 100) {
            return Outcome.drop("avg_line_length");
        }
        int alnum = 0;
        int alpha = 0;
        int chars = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            chars++;
            if (PythonText.isAlnum(c)) {
                alnum++;
            }
            if (PythonText.isAlpha(c)) {
                alpha++;
            }
        }
        if ((double) alnum / chars < 0.25) {
            return Outcome.drop("alnum_prop");
        }
        long tokens = TOKEN.matcher(text).results().count();
        if (tokens > 0 && (double) alpha / tokens < 1.5) {
            return Outcome.drop("alpha_per_token");
        }
        return Outcome.keep(document.withMeta("line_count", lines.size()).withMeta("max_line_length", longest));
    }
}
