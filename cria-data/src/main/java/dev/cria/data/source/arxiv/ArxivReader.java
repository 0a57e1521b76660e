package dev.cria.data.source.arxiv;

import dev.cria.data.Document;
import dev.cria.data.read.BadRecord;
import dev.cria.data.read.DocumentReader;
import dev.cria.data.read.ReadReport;
import dev.cria.data.source.MeteredInputStream;
import dev.cria.data.source.SourceReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * arXiv papers (DATA-RULES §7). An input is one paper — a source tarball or gzipped file ({@code .gz},
 * {@code .tar.gz}) or a single {@code .tex} — or an arXiv bulk source tar ({@code arXiv_src_*.tar}, a plain
 * {@code .tar}) whose {@code .gz} members are papers, read one at a time. Each paper is read by {@link ArxivSource}
 * and cleaned by {@link ArxivCleaner#cleanPaper}. A paper skipped by the non-UTF-8 policy or left empty by cleaning is
 * counted as skipped with the reason; a damaged paper is a {@code corrupt_archive} bad record (a damaged bulk tar
 * ends there, after the papers before it); other files ({@code .bbl}, the PDFs of a bulk tar) are skipped as
 * {@code not_tex}.
 */
public final class ArxivReader implements DocumentReader, SourceReader {

    private final Path file;
    private final String source;
    private final ArxivSource.NonUtf8 policy;
    private final ReadReport report = new ReadReport();
    private final MeteredInputStream metered;
    private final TarArchiveInputStream bulk;
    private boolean done;
    private long bytes;

    public ArxivReader(Path file, String source, ArxivSource.NonUtf8 policy) throws IOException {
        this.file = file;
        this.source = source;
        this.policy = policy;
        if (file.getFileName().toString().endsWith(".tar")) {
            metered = new MeteredInputStream(Files.newInputStream(file));
            bulk = new TarArchiveInputStream(new BufferedInputStream(metered, 1 << 16));
        } else {
            metered = null;
            bulk = null;
        }
    }

    @Override
    public Document next() throws IOException {
        return bulk != null ? nextOfBulk() : onlyPaper();
    }

    private Document onlyPaper() throws IOException {
        if (done) {
            return null;
        }
        done = true;
        String name = file.getFileName().toString();
        if (!name.endsWith(".tex") && !name.endsWith(".gz")) {
            report.skip("not_tex");
            return null;
        }
        byte[] raw = Files.readAllBytes(file);
        bytes = raw.length;
        return paper(file.toString(), name, raw);
    }

    private Document nextOfBulk() throws IOException {
        while (!done) {
            TarArchiveEntry e;
            byte[] raw;
            try {
                e = bulk.getNextEntry();
                if (e == null) {
                    done = true;
                    return null;
                }
                if (!e.isFile()) {
                    continue;
                }
                String name = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                if (!name.endsWith(".gz") && !name.endsWith(".tex")) {
                    report.skip("not_tex");
                    continue;
                }
                raw = bulk.readAllBytes();
                Document d = paper(file + ":" + e.getName(), name, raw);
                if (d != null) {
                    return d;
                }
            } catch (IOException ex) {
                if (!Files.isReadable(file)) {
                    throw ex;
                }
                done = true;
                report.record();
                report.bad(new BadRecord(file.toString(), metered.count(), "byte", "corrupt_archive",
                        "bulk tar damaged after " + report.records() + " papers: " + ex.getMessage()));
                return null;
            }
        }
        return null;
    }

    /** One paper's document, or null when it was skipped or damaged (counted). */
    private Document paper(String where, String name, byte[] raw) {
        report.record();
        ArxivSource.Paper paper;
        try {
            paper = ArxivSource.read(where, name, raw, policy);
        } catch (IOException e) {
            report.bad(new BadRecord(where, 0, "byte", "corrupt_archive", e.getMessage()));
            return null;
        }
        if (paper.skipReason() != null) {
            // "not_utf8:member.tex" names the member; the funnel counts by the kind before the colon.
            int colon = paper.skipReason().indexOf(':');
            report.skip(colon < 0 ? paper.skipReason() : paper.skipReason().substring(0, colon));
            return null;
        }
        String text = ArxivCleaner.cleanPaper(paper.files());
        if (text.isEmpty()) {
            report.skip("empty_after_cleaning");
            return null;
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("arxiv_id", paper.id().replaceFirst("^arXiv-", "").replaceFirst("_.*$", ""));
        meta.put("files", paper.files().size());
        report.document();
        return new Document(paper.id(), text, source, meta);
    }

    @Override
    public ReadReport report() {
        return report;
    }

    @Override
    public long bytesRead() {
        return metered != null ? metered.count() : bytes;
    }

    @Override
    public void close() throws IOException {
        if (bulk != null) {
            bulk.close();
        }
    }
}
