package dev.cria.data.source;

/** A reader of one of the LLaMA sources that says how many bytes of its file it has consumed (for the funnel's MB/s). */
public interface SourceReader {

    /** Bytes of the input consumed so far (compressed bytes for a compressed file). */
    long bytesRead();
}
