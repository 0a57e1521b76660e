package dev.cria.data.source.github;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The regular files of one repository, one at a time, in the order the container holds them: a folder (sorted
 * paths), a zip or jar, a tar, tar.gz or tgz. Only the current file is in memory. Paths are relative, with {@code /}
 * and no leading {@code ./}.
 */
abstract class RepositoryFiles implements Closeable {

    /** One file of the repository. */
    record File(String path, byte[] content) {
    }

    /**
     * The next file, or null at the end; an archive damaged from here on throws. The content is read only when
     * {@code wanted} accepts the path (else it is null), so a pass looking for licence files decompresses no more.
     */
    abstract File next(Predicate<String> wanted) throws IOException;

    /** Whether {@code path} can be a repository container. */
    static boolean isArchive(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".zip") || n.endsWith(".jar") || n.endsWith(".tar") || n.endsWith(".tar.gz") || n.endsWith(".tgz");
    }

    static RepositoryFiles open(Path input) throws IOException {
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(input)) {
            return new Tree(input);
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(input), 1 << 16);
        try {
            if (name.endsWith(".zip") || name.endsWith(".jar")) {
                return new Zip(new ZipInputStream(raw));
            }
            if (name.endsWith(".tar")) {
                return new Tar(new TarArchiveInputStream(raw));
            }
            if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
                return new Tar(new TarArchiveInputStream(new GZIPInputStream(raw, 1 << 16)));
            }
        } catch (IOException e) {
            raw.close();
            throw new IOException(input + ": not a readable archive: " + e.getMessage(), e);
        }
        raw.close();
        throw new IOException(input + ": not a directory, zip, jar, tar, tar.gz or JSONL file");
    }

    private static final class Tree extends RepositoryFiles {
        private final Path root;
        private final Iterator<Path> files;

        Tree(Path root) throws IOException {
            this.root = root;
            try (Stream<Path> walk = Files.walk(root)) {
                List<Path> all = walk.filter(Files::isRegularFile).sorted().toList();
                files = all.iterator();
            }
        }

        @Override
        File next(Predicate<String> wanted) throws IOException {
            if (!files.hasNext()) {
                return null;
            }
            Path p = files.next();
            String path = root.relativize(p).toString().replace('\\', '/');
            return new File(path, wanted.test(path) ? Files.readAllBytes(p) : null);
        }

        @Override
        public void close() {
        }
    }

    private static final class Zip extends RepositoryFiles {
        private final ZipInputStream zip;

        Zip(ZipInputStream zip) {
            this.zip = zip;
        }

        @Override
        File next(Predicate<String> wanted) throws IOException {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (!e.isDirectory()) {
                    return new File(e.getName(), wanted.test(e.getName()) ? zip.readAllBytes() : null);
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    private static final class Tar extends RepositoryFiles {
        private final TarArchiveInputStream tar;

        Tar(TarArchiveInputStream tar) {
            this.tar = tar;
        }

        @Override
        File next(Predicate<String> wanted) throws IOException {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile()) {
                    String path = e.getName().replaceFirst("^\\./", "");
                    return new File(path, wanted.test(path) ? tar.readAllBytes() : null);
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            tar.close();
        }
    }
}
