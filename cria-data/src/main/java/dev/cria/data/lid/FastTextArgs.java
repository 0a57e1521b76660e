package dev.cria.data.lid;

/**
 * The hyper-parameters a fastText model file records (fastText's {@code Args::save}, 56 bytes after the header):
 * twelve int32 then the sampling threshold {@code t} as a double. The label prefix is not stored; fastText and Cria
 * both assume {@code __label__}.
 */
public record FastTextArgs(int dim, int ws, int epoch, int minCount, int neg, int wordNgrams, Loss loss, Kind model,
        int bucket, int minn, int maxn, int lrUpdateRate, double t) {

    /** fastText's {@code loss_name}; the file stores {@link #code}. */
    public enum Loss {
        HS(1), NS(2), SOFTMAX(3), OVA(4);

        final int code;

        Loss(int code) {
            this.code = code;
        }

        static Loss of(int code) {
            for (Loss l : values()) {
                if (l.code == code) {
                    return l;
                }
            }
            return null;
        }
    }

    /** fastText's {@code model_name}; only {@link #SUPERVISED} models classify. */
    public enum Kind {
        CBOW(1), SKIPGRAM(2), SUPERVISED(3);

        final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind of(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return null;
        }
    }

    static FastTextArgs read(ModelInput in, int version) throws FastTextFormatException {
        int dim = positive(in, "dim");
        int ws = in.int32("ws");
        int epoch = in.int32("epoch");
        int minCount = in.int32("minCount");
        int neg = in.int32("neg");
        int wordNgrams = in.int32("wordNgrams");
        long at = in.offset();
        int lossCode = in.int32("loss");
        Loss loss = Loss.of(lossCode);
        if (loss == null) {
            throw in.error(at, "loss: expected 1 (hs), 2 (ns), 3 (softmax) or 4 (ova), found " + lossCode);
        }
        at = in.offset();
        int modelCode = in.int32("model");
        Kind model = Kind.of(modelCode);
        if (model == null) {
            throw in.error(at, "model: expected 1 (cbow), 2 (skipgram) or 3 (supervised), found " + modelCode);
        }
        at = in.offset();
        int bucket = in.int32("bucket");
        if (bucket < 0) {
            throw in.error(at, "bucket: expected a count, found " + bucket);
        }
        int minn = in.int32("minn");
        int maxn = in.int32("maxn");
        int lrUpdateRate = in.int32("lrUpdateRate");
        double t = in.float64("t");
        if (version == 11 && model == Kind.SUPERVISED) {
            // Version 11 supervised models were trained without character n-grams, whatever maxn says.
            maxn = 0;
        }
        return new FastTextArgs(dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket, minn, maxn,
                lrUpdateRate, t);
    }

    private static int positive(ModelInput in, String field) throws FastTextFormatException {
        long at = in.offset();
        int v = in.int32(field);
        if (v <= 0) {
            throw in.error(at, field + ": expected a positive number, found " + v);
        }
        return v;
    }

    void write(ModelOutput out) throws java.io.IOException {
        out.int32(dim);
        out.int32(ws);
        out.int32(epoch);
        out.int32(minCount);
        out.int32(neg);
        out.int32(wordNgrams);
        out.int32(loss.code);
        out.int32(model.code);
        out.int32(bucket);
        out.int32(minn);
        out.int32(maxn);
        out.int32(lrUpdateRate);
        out.float64(t);
    }
}
