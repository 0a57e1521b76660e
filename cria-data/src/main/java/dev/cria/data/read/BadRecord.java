package dev.cria.data.read;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One record a reader could not turn into a document. The run goes on; the funnel counts these by {@link #kind}.
 *
 * @param file the input file
 * @param position where the record starts: a byte offset (for compressed files, see {@link #positionUnit}) or a line
 *     number
 * @param positionUnit what {@code position} counts: {@code byte}, {@code uncompressed byte} or {@code line}
 * @param kind a short stable key: {@code truncated}, {@code bad_header}, {@code bad_json}, {@code missing_text}, ...
 * @param detail what was expected and what was found
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BadRecord(String file, long position, String positionUnit, String kind, String detail) {

    public BadRecord {
        // Parser messages can quote kilobytes of binary: keep the start, which says what went wrong.
        if (detail != null && detail.length() > 200) {
            detail = detail.substring(0, 197) + "...";
        }
    }

    /** "file at byte 123: truncated (gzip stream ends inside the record)". */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String describe() {
        return file + " at " + positionUnit + " " + position + ": " + kind + " (" + detail + ")";
    }
}
