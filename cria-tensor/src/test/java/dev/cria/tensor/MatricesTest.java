package dev.cria.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class MatricesTest {

    @Test
    void heapBytesAreCopiedIntoNativeMemory() {
        byte[] bytes = {1, 2, 3, 4, 5, 6, 7, 8};
        MemorySegment heap = MemorySegment.ofArray(bytes);
        MemorySegment k = Matrices.kernelSegment(heap);
        assertTrue(k.isNative());
        assertEquals(8, k.byteSize());
        assertEquals(5, k.get(ValueLayout.JAVA_BYTE, 4));
        bytes[4] = 9;
        assertEquals(5, k.get(ValueLayout.JAVA_BYTE, 4), "a copy, not a view");
        assertTrue(Matrices.kernelSegment(heap.asReadOnly()).isReadOnly());
    }

    @Test
    void nativeSegmentsAreUsedAsTheyAre() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(64);
            assertSame(s, Matrices.kernelSegment(s));
        }
    }

    @Test
    void arrayMatricesHoldACopyOfTheValues() {
        float[] values = {1, 2, 3, 4, 5, 6};
        Matrix m = Matrices.of(values, 2, 3);
        values[0] = 100;
        float[] y = new float[2];
        m.matvec(new float[] {1, 0, 0}, y, 0, 2);
        assertEquals(1f, y[0]);
        assertEquals(4f, y[1]);
    }
}
