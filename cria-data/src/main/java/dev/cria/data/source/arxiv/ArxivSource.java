package dev.cria.data.source.arxiv;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the {@code .tex} files of one arXiv paper as RedPajama does (DATA-RULES §7): a gzipped tarball (every member
 * whose name ends in {@code .tex}, in member order), a gzipped single file, or a plain {@code .tex} file. A member
 * that is not valid UTF-8 makes the whole paper unusable, as in RedPajama (the reason says which member).
 */
public final class ArxivSource {

    /** What to do with a member that is not valid UTF-8. */
    public enum NonUtf8 {
        /** RedPajama: the whole paper is skipped. */
        SKIP_PAPER,
        /** Leave the member out (macOS AppleDouble {@code ._*.tex} files are binary), keep the rest. */
        SKIP_MEMBER,
        /** Decode it as ISO-8859-1, the usual encoding of older LaTeX sources. */
        LATIN1
    }

    /** The paper's files, or why it was skipped. */
    public record Paper(String id, List<String> files, String skipReason) {
    }

    private ArxivSource() {
    }

    /** Reads a paper the RedPajama way: one member that is not UTF-8 skips the whole paper. */
    public static Paper read(Path file) throws IOException {
        return read(file, NonUtf8.SKIP_PAPER);
    }

    public static Paper read(Path file, NonUtf8 policy) throws IOException {
        return read(file.toString(), file.getFileName().toString(), Files.readAllBytes(file), policy);
    }

    /**
     * Reads a paper held in memory, e.g. one {@code .gz} member of an arXiv bulk tar.
     *
     * @param where the file (and member) for messages
     * @param name the paper's file name: {@code ID.gz}, {@code ID.tar.gz} or {@code NAME.tex}
     */
    public static Paper read(String where, String name, byte[] bytes, NonUtf8 policy) throws IOException {
        String id = name.replaceFirst("(\\.tar)?\\.gz$", "");
        if (!name.endsWith(".gz")) {
            return utf8Paper(id, List.of(name), List.of(bytes), policy);
        }
        byte[] inflated;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            inflated = in.readAllBytes();
        } catch (IOException e) {
            throw new IOException(where + ": not a valid gzip file (" + e.getMessage() + ")", e);
        }
        if (!looksLikeTar(inflated)) {
            return utf8Paper(id, List.of(name), List.of(inflated), policy);
        }
        List<String> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(new ByteArrayInputStream(inflated)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile() && entry.getName().endsWith(".tex")) {
                    names.add(entry.getName());
                    contents.add(tar.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new IOException(where + ": corrupt tar archive (" + e.getMessage() + ")", e);
        }
        return utf8Paper(id, names, contents, policy);
    }

    private static boolean looksLikeTar(byte[] b) {
        return b.length >= 262 && b[257] == 'u' && b[258] == 's' && b[259] == 't' && b[260] == 'a' && b[261] == 'r';
    }

    private static Paper utf8Paper(String id, List<String> names, List<byte[]> contents, NonUtf8 policy) {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < contents.size(); i++) {
            try {
                files.add(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(contents.get(i))).toString());
            } catch (CharacterCodingException e) {
                switch (policy) {
                    case SKIP_PAPER -> {
                        return new Paper(id, List.of(), "not_utf8:" + names.get(i));
                    }
                    case LATIN1 -> files.add(new String(contents.get(i), StandardCharsets.ISO_8859_1));
                    case SKIP_MEMBER -> { }
                }
            }
        }
        return new Paper(id, files, files.isEmpty() ? "no_tex_files" : null);
    }
}
