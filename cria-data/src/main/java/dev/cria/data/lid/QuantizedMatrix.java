package dev.cria.data.lid;

import java.io.IOException;

/**
 * fastText's {@code QuantMatrix}: each row product-quantized, optionally with its norm quantized apart (one byte per
 * row into a 1-dimensional quantizer). File layout: bool qnorm, int64 rows, int64 cols, int32 codesize, uint8
 * codes[codesize], the quantizer, then when qnorm: uint8 normCodes[rows] and the norm quantizer.
 */
public final class QuantizedMatrix implements FastTextMatrix {
    private final int rows;
    private final int cols;
    private final byte[] codes;
    private final ProductQuantizer pq;
    private final byte[] normCodes;
    private final ProductQuantizer npq;

    private QuantizedMatrix(int rows, int cols, byte[] codes, ProductQuantizer pq, byte[] normCodes,
            ProductQuantizer npq) {
        this.rows = rows;
        this.cols = cols;
        this.codes = codes;
        this.pq = pq;
        this.normCodes = normCodes;
        this.npq = npq;
    }

    static QuantizedMatrix read(ModelInput in, String what) throws FastTextFormatException {
        boolean qnorm = in.bool(what + " qnorm");
        long at = in.offset();
        long m = in.int64(what + " rows");
        long n = in.int64(what + " columns");
        if (m < 0 || n <= 0 || m > Integer.MAX_VALUE || n > Integer.MAX_VALUE) {
            throw in.error(at, what + ": " + m + " x " + n + " is not a matrix shape");
        }
        at = in.offset();
        int codesize = in.int32(what + " codesize");
        if (codesize < 0 || codesize > in.remaining()) {
            throw in.error(at, (codesize < 0 ? "" : "truncated: ") + what + " codesize " + codesize
                    + " does not fit in the " + in.remaining() + " bytes left");
        }
        byte[] codes = new byte[codesize];
        in.bytes(codes, what + " codes");
        ProductQuantizer pq = ProductQuantizer.read(in, what + " quantizer");
        if (pq.dim() != n || (long) pq.nsubq() * m != codesize) {
            throw in.error(at, what + ": quantizer of dim " + pq.dim() + " with " + pq.nsubq()
                    + " sub-quantizers does not match " + m + " x " + n + " with codesize " + codesize);
        }
        byte[] normCodes = null;
        ProductQuantizer npq = null;
        if (qnorm) {
            normCodes = new byte[(int) m];
            in.bytes(normCodes, what + " norm codes");
            long npqAt = in.offset();
            npq = ProductQuantizer.read(in, what + " norm quantizer");
            if (npq.dim() != 1) {
                throw in.error(npqAt, what + " norm quantizer: expected dim 1, found " + npq.dim());
            }
        }
        return new QuantizedMatrix((int) m, (int) n, codes, pq, normCodes, npq);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    private float norm(int i) {
        return normCodes == null ? 1f : npq.centroids()[npq.centroid(0, normCodes[i] & 0xff)];
    }

    @Override
    public void addRowTo(float[] x, int i) {
        pq.addCode(x, codes, i * pq.nsubq(), norm(i));
    }

    @Override
    public float dotRow(float[] x, int i) {
        return pq.mulCode(x, codes, i * pq.nsubq(), norm(i));
    }

    /**
     * The rows decoded once into a dense matrix. Adding a decoded row performs the same float operations as
     * {@link #addRowTo} (each value is norm × centroid, rounded to float, then added), so it is exact, and faster.
     */
    DenseMatrix decoded() {
        float[] data = new float[Math.multiplyExact(rows, cols)];
        float[] row = new float[cols];
        for (int i = 0; i < rows; i++) {
            // −0 + v = v for every v, signed zeros included.
            java.util.Arrays.fill(row, -0.0f);
            addRowTo(row, i);
            System.arraycopy(row, 0, data, i * cols, cols);
        }
        return new DenseMatrix(rows, cols, data);
    }

    @Override
    public void write(ModelOutput out) throws IOException {
        out.int8(normCodes != null ? 1 : 0);
        out.int64(rows);
        out.int64(cols);
        out.int32(codes.length);
        out.bytes(codes);
        pq.write(out);
        if (normCodes != null) {
            out.bytes(normCodes);
            npq.write(out);
        }
    }
}
