package dev.cria.data.lid;

import java.io.IOException;

/**
 * A fastText weight matrix, dense or product-quantized. Both operations follow fastText's float arithmetic in its
 * order, so sums come out bit for bit as fastText computes them.
 */
public sealed interface FastTextMatrix permits DenseMatrix, QuantizedMatrix {

    int rows();

    int cols();

    /** x += row {@code i}. */
    void addRowTo(float[] x, int i);

    /** The dot product of row {@code i} with x, accumulated left to right in float. */
    float dotRow(float[] x, int i);

    void write(ModelOutput out) throws IOException;

    static FastTextMatrix read(ModelInput in, boolean quantized, String what) throws FastTextFormatException {
        return quantized ? QuantizedMatrix.read(in, what) : DenseMatrix.read(in, what);
    }
}
