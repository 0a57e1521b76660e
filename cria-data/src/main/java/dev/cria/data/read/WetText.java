package dev.cria.data.read;

/** How a WET record's body becomes the document text: each reference pipeline reads the same file differently. */
public enum WetText {
    /**
     * CCNet ({@code process_wet_file.py}, DATA-RULES §2.2): every line stripped, empty lines dropped, the first line
     * is the page title (into {@code meta.title}), the rest joined by {@code \n} is the text.
     */
    CCNET,
    /**
     * TFDS C4 {@code split_wet_file} (DATA-RULES §3.1 step 1): lines stripped, empty lines dropped, lines starting
     * with {@code WARC}, {@code CONTENT-} or {@code Content-} dropped even inside the body; the title line stays the
     * first line of the text.
     */
    C4,
    /** The body as it stands: {@code \r\n} read as {@code \n}, trailing empty lines removed. */
    RAW
}
