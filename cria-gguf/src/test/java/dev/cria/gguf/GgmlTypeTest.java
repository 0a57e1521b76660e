package dev.cria.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GgmlTypeTest {

    private static final int HALF = 2; // sizeof(ggml_half)
    private static final int QK_K = 256;
    private static final int K_SCALE_SIZE = 12;

    /** {id, elements per block, sizeof(block)} from ggml.h's enum ggml_type and ggml-common.h's block structs. */
    private static Map<GgmlType, int[]> ggmlTable() {
        Map<GgmlType, int[]> t = new EnumMap<>(GgmlType.class);
        t.put(GgmlType.F32, new int[] {0, 1, 4});
        t.put(GgmlType.F16, new int[] {1, 1, 2});
        t.put(GgmlType.Q4_0, new int[] {2, 32, HALF + 32 / 2});
        t.put(GgmlType.Q4_1, new int[] {3, 32, 2 * HALF + 32 / 2});
        t.put(GgmlType.Q5_0, new int[] {6, 32, HALF + 4 + 32 / 2});
        t.put(GgmlType.Q5_1, new int[] {7, 32, 2 * HALF + 4 + 32 / 2});
        t.put(GgmlType.Q8_0, new int[] {8, 32, HALF + 32});
        t.put(GgmlType.Q8_1, new int[] {9, 32, 2 * HALF + 32});
        t.put(GgmlType.Q2_K, new int[] {10, QK_K, 2 * HALF + QK_K / 16 + QK_K / 4});
        t.put(GgmlType.Q3_K, new int[] {11, QK_K, HALF + QK_K / 4 + QK_K / 8 + 12});
        t.put(GgmlType.Q4_K, new int[] {12, QK_K, 2 * HALF + K_SCALE_SIZE + QK_K / 2});
        t.put(GgmlType.Q5_K, new int[] {13, QK_K, 2 * HALF + K_SCALE_SIZE + QK_K / 8 + QK_K / 2});
        t.put(GgmlType.Q6_K, new int[] {14, QK_K, HALF + QK_K / 16 + 3 * QK_K / 4});
        t.put(GgmlType.Q8_K, new int[] {15, QK_K, 4 + QK_K + QK_K / 16 * 2});
        t.put(GgmlType.IQ2_XXS, new int[] {16, QK_K, HALF + QK_K / 8 * 2});
        t.put(GgmlType.IQ2_XS, new int[] {17, QK_K, HALF + QK_K / 8 * 2 + QK_K / 32});
        t.put(GgmlType.IQ3_XXS, new int[] {18, QK_K, HALF + 3 * (QK_K / 8)});
        t.put(GgmlType.IQ1_S, new int[] {19, QK_K, HALF + QK_K / 8 + QK_K / 32 * 2});
        t.put(GgmlType.IQ4_NL, new int[] {20, 32, HALF + 32 / 2});
        t.put(GgmlType.IQ3_S, new int[] {21, QK_K, HALF + QK_K / 4 + QK_K / 32 + QK_K / 8 + 4});
        t.put(GgmlType.IQ2_S, new int[] {22, QK_K, HALF + QK_K / 4 + QK_K / 32 + QK_K / 32});
        t.put(GgmlType.IQ4_XS, new int[] {23, QK_K, HALF + 2 + QK_K / 64 + QK_K / 2});
        t.put(GgmlType.I8, new int[] {24, 1, 1});
        t.put(GgmlType.I16, new int[] {25, 1, 2});
        t.put(GgmlType.I32, new int[] {26, 1, 4});
        t.put(GgmlType.I64, new int[] {27, 1, 8});
        t.put(GgmlType.F64, new int[] {28, 1, 8});
        t.put(GgmlType.IQ1_M, new int[] {29, QK_K, QK_K / 8 + QK_K / 16 + QK_K / 32});
        t.put(GgmlType.BF16, new int[] {30, 1, 2});
        t.put(GgmlType.TQ1_0, new int[] {34, QK_K, (QK_K - 4 * QK_K / 64) / 5 + QK_K / 64 + HALF});
        t.put(GgmlType.TQ2_0, new int[] {35, QK_K, QK_K / 4 + HALF});
        t.put(GgmlType.MXFP4, new int[] {39, 32, 1 + 32 / 2});
        t.put(GgmlType.NVFP4, new int[] {40, 64, 4 + 64 / 2});
        t.put(GgmlType.Q1_0, new int[] {41, 128, HALF + 128 / 8});
        return t;
    }

    @Test
    void idsAndBlockLayoutsMatchGgmlsStructs() {
        Map<GgmlType, int[]> table = ggmlTable();
        assertEquals(GgmlType.values().length, table.size(), "every type has a reference row");
        for (GgmlType type : GgmlType.values()) {
            int[] row = table.get(type);
            assertEquals(row[0], type.id(), type + " id");
            assertEquals(row[1], type.blockSize(), type + " block size");
            assertEquals(row[2], type.blockBytes(), type + " block bytes");
            assertEquals(type, GgmlType.byId(row[0]).orElseThrow());
        }
    }

    @Test
    void idsRemovedFromGgmlAreUnknown() {
        for (long id : new long[] {4, 5, 31, 32, 33, 36, 37, 38, 42, 1000, -1, 1L << 32}) {
            assertTrue(GgmlType.byId(id).isEmpty(), "id " + id);
        }
    }

    @Test
    void byteSizeCountsWholeBlocks() {
        assertEquals(512L * 64 * 4, GgmlType.F32.byteSize(64, 512));
        assertEquals(4096L * 11008 / 32 * 34, GgmlType.Q8_0.byteSize(4096, 11008));
        assertEquals(4096L / 256 * 210 * 32000, GgmlType.Q6_K.byteSize(4096, 32000));
        assertEquals(2, GgmlType.BF16.byteSize(), "no dimensions is one element");
        assertEquals(0, GgmlType.Q4_0.byteSize(0, 7));
        // 7B-sized embeddings pass 2^31 bytes: sizes are longs.
        assertEquals(128256L * 4096 * 4, GgmlType.F32.byteSize(4096, 128256));
    }

    @Test
    void byteSizeRejectsRowsThatAreNotWholeBlocks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GgmlType.Q4_K.byteSize(4000, 2));
        assertTrue(e.getMessage().contains("256") && e.getMessage().contains("4000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GgmlType.F32.byteSize(1, 2, 3, 4, 5));
        assertThrows(IllegalArgumentException.class, () -> GgmlType.F32.byteSize(-1));
        assertThrows(IllegalArgumentException.class, () -> GgmlType.F32.byteSize(1L << 40, 1L << 40));
        assertThrows(IllegalArgumentException.class, () -> GgmlType.F64.byteSize(1L << 61));
    }
}
