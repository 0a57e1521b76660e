package dev.cria.data.source.github;

import dev.cria.data.Document;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The files of one repository — a source tree, a zip or jar (Maven source jars included), or a tar/tar.gz — as
 * documents, with the repository's licence detected from its LICENSE/LICENCE/COPYING files at the root or under
 * {@code META-INF/} (DATA-RULES §4). Each document's text has its licence header stripped; {@code meta} holds repo,
 * path, license (SPDX id or {@code unknown}) and {@code content_md5}, the MD5 of the raw file on which RedPajama
 * deduplicates. Files ending in {@code .crt}, files named exactly {@code LICENSE}, and binary files (a NUL byte or
 * invalid UTF-8) are skipped and counted.
 */
public final class GithubSource {

    /** What was read; {@code errors} names archives that could not be read to the end. */
    public record Report(int files, int emitted, int binary, int skippedByName, String license, List<String> errors) {
    }

    private GithubSource() {
    }

    public static Report read(Path input, Consumer<Document> sink) throws IOException {
        String repo = input.getFileName().toString();
        TreeMap<String, byte[]> files = new TreeMap<>();
        List<String> errors = new ArrayList<>();
        String name = repo.toLowerCase(Locale.ROOT);
        if (Files.isDirectory(input)) {
            try (Stream<Path> walk = Files.walk(input)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    files.put(input.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                }
            }
        } else if (name.endsWith(".zip") || name.endsWith(".jar")) {
            try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(input)))) {
                ZipEntry e;
                while ((e = zip.getNextEntry()) != null) {
                    if (!e.isDirectory()) {
                        files.put(e.getName(), zip.readAllBytes());
                    }
                }
            } catch (IOException e) {
                errors.add(input + ": corrupt zip archive after " + files.size() + " files: " + e.getMessage());
            }
        } else if (name.endsWith(".tar") || name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(input));
                 TarArchiveInputStream tar = new TarArchiveInputStream(name.endsWith(".tar") ? raw : new GZIPInputStream(raw))) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    if (e.isFile()) {
                        files.put(e.getName().replaceFirst("^\\./", ""), tar.readAllBytes());
                    }
                }
            } catch (IOException e) {
                errors.add(input + ": corrupt tar archive after " + files.size() + " files: " + e.getMessage());
            }
        } else {
            throw new IOException(input + ": not a directory, zip, jar or tar archive");
        }
        String license = detectLicense(files);
        int emitted = 0;
        int binary = 0;
        int skippedByName = 0;
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String path = f.getKey();
            if (path.endsWith(".crt") || path.equals("LICENSE")) {
                skippedByName++;
                continue;
            }
            String content = utf8Text(f.getValue());
            if (content == null) {
                binary++;
                continue;
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("repo", repo);
            meta.put("path", path);
            meta.put("license", license);
            meta.put("content_md5", md5(f.getValue()));
            sink.accept(new Document(repo + "/" + path, CodeHeaders.strip(content), "github", meta));
            emitted++;
        }
        return new Report(files.size(), emitted, binary, skippedByName, license, errors);
    }

    /** The SPDX id of the first recognized licence file at the root or in META-INF, or {@code unknown}. */
    static String detectLicense(TreeMap<String, byte[]> files) {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String path = f.getKey();
            String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
            String file = path.substring(path.lastIndexOf('/') + 1).toUpperCase(Locale.ROOT);
            boolean licenseName = file.startsWith("LICENSE") || file.startsWith("LICENCE") || file.startsWith("COPYING");
            if (licenseName && (dir.isEmpty() || dir.equals("META-INF") || dir.equals("legal"))) {
                String text = utf8Text(f.getValue());
                if (text != null) {
                    var spdx = LicenseClassifier.classify(text);
                    if (spdx.isPresent()) {
                        return spdx.get();
                    }
                }
            }
        }
        return "unknown";
    }

    static String utf8Text(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }
}
