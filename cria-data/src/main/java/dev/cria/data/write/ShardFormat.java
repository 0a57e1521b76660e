package dev.cria.data.write;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** How output shards are compressed; the name is the file suffix and the recipe's {@code output.format}. */
public enum ShardFormat {
    JSONL_GZ("jsonl.gz"), JSONL_ZST("jsonl.zst");

    private final String suffix;

    ShardFormat(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }

    /** {@code part-00042.jsonl.gz}: the shard's number, five digits as CCNet and datatrove name theirs. */
    public String fileName(int shard) {
        return String.format(Locale.ROOT, "part-%05d.%s", shard, suffix);
    }

    public static ShardFormat of(String name) {
        for (ShardFormat f : values()) {
            if (f.suffix.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown output format \"" + name + "\" (expected jsonl.gz or jsonl.zst)");
    }

    /**
     * Compresses into {@code out}. Both encoders write no timestamp or file name (Java's gzip header has mtime 0), so
     * the same documents give the same bytes on every run: a resumed run can be compared byte for byte.
     */
    OutputStream wrap(OutputStream out) throws IOException {
        return switch (this) {
            case JSONL_GZ -> new GZIPOutputStream(out, 1 << 16) {
                {
                    def.setLevel(Deflater.DEFAULT_COMPRESSION);
                }
            };
            case JSONL_ZST -> new ZstdOutputStream(out, 3);
        };
    }
}
