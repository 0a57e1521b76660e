package dev.cria.bench.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Reads bytes as fast as the Vector API streams them: the attainable rate for a kernel that must read them too. */
final class WeightStream {
    private static final VectorSpecies<Long> L = LongVector.SPECIES_256;

    private WeightStream() {
    }

    /** The sum of {@code data[from, to)} as 64-bit words (a tail shorter than 8 bytes is read bytewise). */
    static long sum(MemorySegment data, long from, long to) {
        LongVector a0 = LongVector.zero(L);
        LongVector a1 = a0;
        LongVector a2 = a0;
        LongVector a3 = a0;
        long at = from;
        for (; at + 128 <= to; at += 128) {
            a0 = a0.add(LongVector.fromMemorySegment(L, data, at, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(LongVector.fromMemorySegment(L, data, at + 32, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(LongVector.fromMemorySegment(L, data, at + 64, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(LongVector.fromMemorySegment(L, data, at + 96, ByteOrder.LITTLE_ENDIAN));
        }
        long sum = a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
        for (; at < to; at++) {
            sum += data.get(ValueLayout.JAVA_BYTE, at);
        }
        return sum;
    }
}
