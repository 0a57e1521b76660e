package dev.cria.data.source.stackexchange;

import dev.cria.data.Document;
import dev.cria.data.read.BadRecord;
import dev.cria.data.read.DocumentReader;
import dev.cria.data.read.ReadReport;
import dev.cria.data.source.SourceReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One StackExchange site per {@code Posts.xml} (DATA-RULES §8), read by {@link StackExchangeSource}. The site is named
 * by the file: {@code coffee.stackexchange.com-Posts.xml} (the archive's names with the file appended), or a plain
 * {@code Posts.xml} inside a folder named after the site. Each document carries {@code site_size}, RedPajama's size of
 * its site (lines of Posts.xml − 3), which the {@code stackexchange_sites} stage uses to keep the largest sites. A file
 * that is not well-formed XML is one {@code bad_xml} bad record and gives no documents (a site's questions and answers
 * are only complete at the end of the file).
 */
public final class StackExchangeReader implements DocumentReader, SourceReader {

    private final ReadReport report = new ReadReport();
    private final Deque<Document> documents = new ArrayDeque<>();
    private final long bytes;

    public StackExchangeReader(Path file, String source, StackExchangeSource.ScoreOrder order) throws IOException {
        this.bytes = Files.size(file);
        String site = siteOf(file);
        report.record();
        try {
            StackExchangeSource.Site s = StackExchangeSource.read(file, site, order);
            long size = StackExchangeSource.size(file);
            for (Document d : s.documents()) {
                documents.add(new Document(d.id(), d.text(), source, d.meta()).withMeta("site_size", size));
            }
            for (int i = 0; i < s.answersWithoutQuestion(); i++) {
                report.skip("answer_without_question");
            }
        } catch (IOException e) {
            if (!Files.isReadable(file)) {
                throw e;
            }
            report.bad(new BadRecord(file.toString(), 0, "byte", "bad_xml", e.getMessage()));
        }
    }

    /** {@code coffee.stackexchange.com-Posts.xml} → {@code coffee.stackexchange.com}; {@code x/Posts.xml} → {@code x}. */
    static String siteOf(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith("-Posts.xml")) {
            return name.substring(0, name.length() - "-Posts.xml".length());
        }
        Path parent = file.toAbsolutePath().getParent();
        return parent == null || parent.getFileName() == null ? name : parent.getFileName().toString();
    }

    @Override
    public Document next() {
        Document d = documents.pollFirst();
        if (d != null) {
            report.document();
        }
        return d;
    }

    @Override
    public ReadReport report() {
        return report;
    }

    @Override
    public long bytesRead() {
        return bytes;
    }

    @Override
    public void close() {
    }
}
