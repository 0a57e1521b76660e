package dev.cria.cli.bench;

import dev.cria.cli.io.AtomicFileOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A reproducible English corpus found on every machine that runs Cria: the Javadoc comments of the running
 * JDK's {@code lib/src.zip}, source files in name order, one comment line per line, until the size is reached.
 */
public final class JdkJavadocCorpus {
    private static final Pattern DOC_COMMENT = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);

    private JdkJavadocCorpus() {
    }

    public static Path sourceZip() {
        return Path.of(System.getProperty("java.home"), "lib", "src.zip");
    }

    /** Writes about {@code bytes} bytes of comment text to {@code out}; returns the bytes written. */
    public static long write(Path out, long bytes) throws IOException {
        Path zip = sourceZip();
        if (!Files.isRegularFile(zip)) {
            throw new IOException(zip + " not found: this JDK ships no sources (install a full JDK 25)");
        }
        long written = 0;
        try (ZipFile z = new ZipFile(zip.toFile()); AtomicFileOutput file = AtomicFileOutput.create(out)) {
            List<ZipEntry> entries = new ArrayList<>(z.stream().filter(e -> e.getName().endsWith(".java")).toList());
            entries.sort(Comparator.comparing(ZipEntry::getName));
            OutputStream s = file.stream();
            outer:
            for (ZipEntry e : entries) {
                String source = new String(z.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
                Matcher m = DOC_COMMENT.matcher(source);
                while (m.find()) {
                    for (String line : m.group(1).split("\n")) {
                        String l = line.strip();
                        if (l.startsWith("*")) {
                            l = l.substring(1).strip();
                        }
                        if (l.isEmpty()) {
                            continue;
                        }
                        byte[] b = l.getBytes(StandardCharsets.UTF_8);
                        s.write(b);
                        s.write('\n');
                        written += b.length + 1;
                        if (written >= bytes) {
                            break outer;
                        }
                    }
                }
            }
            file.commit();
        }
        return written;
    }
}
