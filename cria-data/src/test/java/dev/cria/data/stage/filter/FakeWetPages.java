package dev.cria.data.stage.filter;

import dev.cria.data.Document;
import dev.cria.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conversion records of C4's own synthetic WET files as documents, split the way C4's {@code split_wet_file}
 * does (body lines stripped, empty lines skipped). The fixture reuses record ids, so a page's id is file and position, so the filter tests run on C4's fixtures.
 */
public final class FakeWetPages {

    private FakeWetPages() {
    }

    public static List<Document> read(String name) throws IOException {
        String content = Files.readString(SharedData.file("samples/c4_fake_wet/" + name), StandardCharsets.UTF_8);
        List<Document> pages = new ArrayList<>();
        for (String record : content.split("WARC/1\\.0\\r?\\n")) {
            int blank = record.indexOf("\n\n");
            if (blank < 0 || !record.contains("WARC-Type: conversion")) {
                continue;
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            for (String header : record.substring(0, blank).split("\n")) {
                int colon = header.indexOf(':');
                if (colon > 0) {
                    meta.put(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
                }
            }
            StringBuilder text = new StringBuilder();
            for (String line : record.substring(blank + 2).split("\n")) {
                String stripped = line.strip();
                if (!stripped.isEmpty()) {
                    text.append(text.isEmpty() ? "" : "\n").append(stripped);
                }
            }
            String url = (String) meta.get("WARC-Target-URI");
            Map<String, Object> docMeta = new LinkedHashMap<>();
            docMeta.put("url", url);
            docMeta.put("date_download", meta.get("WARC-Date"));
            pages.add(new Document(name + "#" + pages.size(), text.toString(), "c4", docMeta));
        }
        return pages;
    }
}
