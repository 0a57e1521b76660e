package dev.cria.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One metadata value of a GGUF file. Each value knows its {@link GgufValueType}; integers keep the exact type
 * they were stored with, so a file read and written again is byte-for-byte the same.
 *
 * <p>Arrays are held compactly: fixed-size elements as their little-endian bytes ({@link ScalarArray}),
 * strings as a {@code String[]} ({@link StringArray}), arrays of arrays as a list ({@link ArrayOfArrays}).
 * All values are immutable.
 */
public sealed interface GgufValue {

    GgufValueType type();

    /** A short one-line rendering for listings: strings quoted and cut, arrays as element type, count and first items. */
    String summary();

    static IntegerValue uint8(int value) {
        return new IntegerValue(GgufValueType.UINT8, value);
    }

    static IntegerValue int8(int value) {
        return new IntegerValue(GgufValueType.INT8, value);
    }

    static IntegerValue uint16(int value) {
        return new IntegerValue(GgufValueType.UINT16, value);
    }

    static IntegerValue int16(int value) {
        return new IntegerValue(GgufValueType.INT16, value);
    }

    static IntegerValue uint32(long value) {
        return new IntegerValue(GgufValueType.UINT32, value);
    }

    static IntegerValue int32(int value) {
        return new IntegerValue(GgufValueType.INT32, value);
    }

    /** An unsigned 64-bit value given by its bit pattern: {@code -1} stands for 2^64 - 1. */
    static IntegerValue uint64(long bits) {
        return new IntegerValue(GgufValueType.UINT64, bits);
    }

    static IntegerValue int64(long value) {
        return new IntegerValue(GgufValueType.INT64, value);
    }

    static Float32Value float32(float value) {
        return new Float32Value(value);
    }

    static Float64Value float64(double value) {
        return new Float64Value(value);
    }

    static BoolValue bool(boolean value) {
        return new BoolValue(value);
    }

    static StringValue string(String value) {
        return new StringValue(value);
    }

    static StringArray strings(String... values) {
        String[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            Objects.requireNonNull(copy[i], () -> "null string in array");
        }
        return new StringArray(copy);
    }

    static StringArray strings(List<String> values) {
        return strings(values.toArray(String[]::new));
    }

    static ScalarArray float32s(float... values) {
        byte[] bytes = new byte[Math.multiplyExact(values.length, 4)];
        MemorySegment.copy(values, 0, MemorySegment.ofArray(bytes), ScalarArray.F32, 0, values.length);
        return new ScalarArray(GgufValueType.FLOAT32, bytes);
    }

    static ScalarArray float64s(double... values) {
        byte[] bytes = new byte[Math.multiplyExact(values.length, 8)];
        MemorySegment.copy(values, 0, MemorySegment.ofArray(bytes), ScalarArray.F64, 0, values.length);
        return new ScalarArray(GgufValueType.FLOAT64, bytes);
    }

    static ScalarArray int32s(int... values) {
        byte[] bytes = new byte[Math.multiplyExact(values.length, 4)];
        MemorySegment.copy(values, 0, MemorySegment.ofArray(bytes), ScalarArray.I32, 0, values.length);
        return new ScalarArray(GgufValueType.INT32, bytes);
    }

    /**
     * An array of any integer type; each value must lie in the type's range (UINT64 values are bit patterns).
     *
     * @throws IllegalArgumentException when {@code elementType} is not an integer type or a value is out of range
     */
    static ScalarArray integers(GgufValueType elementType, long... values) {
        if (!elementType.isInteger()) {
            throw new IllegalArgumentException(elementType + " is not an integer type");
        }
        int width = elementType.byteSize();
        byte[] bytes = new byte[Math.multiplyExact(values.length, width)];
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            if (elementType != GgufValueType.UINT64 && (v < elementType.min() || v > elementType.max())) {
                throw new IllegalArgumentException("element " + i + " = " + v + " is outside the range of " + elementType);
            }
            for (int b = 0; b < width; b++) {
                bytes[i * width + b] = (byte) (v >>> (8 * b));
            }
        }
        return new ScalarArray(elementType, bytes);
    }

    static ScalarArray bools(boolean... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) (values[i] ? 1 : 0);
        }
        return new ScalarArray(GgufValueType.BOOL, bytes);
    }

    static ArrayOfArrays arrays(ArrayValue... elements) {
        return new ArrayOfArrays(List.of(elements));
    }

    /** One of the eight integer types; {@code bits} is the value, for UINT64 its two's-complement bit pattern. */
    record IntegerValue(GgufValueType type, long bits) implements GgufValue {
        public IntegerValue {
            if (!type.isInteger()) {
                throw new IllegalArgumentException(type + " is not an integer type");
            }
            if (type != GgufValueType.UINT64 && (bits < type.min() || bits > type.max())) {
                throw new IllegalArgumentException(bits + " is outside the range of " + type);
            }
        }

        /** False only for UINT64 values of 2^63 and above. */
        public boolean fitsInLong() {
            return type != GgufValueType.UINT64 || bits >= 0;
        }

        public boolean fitsInInt() {
            return fitsInLong() && bits == (int) bits;
        }

        /** @throws ArithmeticException when the value is a UINT64 of 2^63 or more */
        public long longValue() {
            if (!fitsInLong()) {
                throw new ArithmeticException(summary() + " (" + type + ") does not fit in a long");
            }
            return bits;
        }

        /** @throws ArithmeticException when the value lies outside the int range */
        public int intValue() {
            if (!fitsInInt()) {
                throw new ArithmeticException(summary() + " (" + type + ") does not fit in an int");
            }
            return (int) bits;
        }

        @Override
        public String summary() {
            return type == GgufValueType.UINT64 ? Long.toUnsignedString(bits) : Long.toString(bits);
        }
    }

    record Float32Value(float value) implements GgufValue {
        @Override
        public GgufValueType type() {
            return GgufValueType.FLOAT32;
        }

        @Override
        public String summary() {
            return Float.toString(value);
        }
    }

    record Float64Value(double value) implements GgufValue {
        @Override
        public GgufValueType type() {
            return GgufValueType.FLOAT64;
        }

        @Override
        public String summary() {
            return Double.toString(value);
        }
    }

    record BoolValue(boolean value) implements GgufValue {
        @Override
        public GgufValueType type() {
            return GgufValueType.BOOL;
        }

        @Override
        public String summary() {
            return Boolean.toString(value);
        }
    }

    record StringValue(String value) implements GgufValue {
        public StringValue {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public GgufValueType type() {
            return GgufValueType.STRING;
        }

        @Override
        public String summary() {
            return Summaries.quote(value, 60);
        }
    }

    /** An ARRAY value; every element has the same {@link #elementType()}. */
    sealed interface ArrayValue extends GgufValue {
        GgufValueType elementType();

        int size();

        @Override
        default GgufValueType type() {
            return GgufValueType.ARRAY;
        }
    }

    /** An array of a fixed-size type (integers, floats, bools), held as its little-endian bytes. */
    final class ScalarArray implements ArrayValue {
        static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
        private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
        private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
        private static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

        private final GgufValueType elementType;
        private final byte[] data;
        private final int size;

        /** Takes ownership of {@code littleEndian}, whose length must be a multiple of the element size. */
        ScalarArray(GgufValueType elementType, byte[] littleEndian) {
            if (!elementType.isFixedSize()) {
                throw new IllegalArgumentException(elementType + " is not a fixed-size type");
            }
            if (littleEndian.length % elementType.byteSize() != 0) {
                throw new IllegalArgumentException(littleEndian.length + " bytes do not hold whole " + elementType + " values");
            }
            this.elementType = elementType;
            this.data = littleEndian;
            this.size = littleEndian.length / elementType.byteSize();
        }

        @Override
        public GgufValueType elementType() {
            return elementType;
        }

        @Override
        public int size() {
            return size;
        }

        /** Element {@code i} of an integer array; UINT64 elements come back as their bit pattern. */
        public long getLong(int i) {
            Objects.checkIndex(i, size);
            return switch (elementType) {
                case UINT8 -> data[i] & 0xFFL;
                case INT8 -> data[i];
                case UINT16 -> (short) SHORT.get(data, 2 * i) & 0xFFFFL;
                case INT16 -> (short) SHORT.get(data, 2 * i);
                case UINT32 -> (int) INT.get(data, 4 * i) & 0xFFFF_FFFFL;
                case INT32 -> (int) INT.get(data, 4 * i);
                case UINT64, INT64 -> (long) LONG.get(data, 8 * i);
                default -> throw new IllegalStateException("not an integer array: " + elementType);
            };
        }

        /** Element {@code i} of a FLOAT32 or FLOAT64 array. */
        public double getDouble(int i) {
            Objects.checkIndex(i, size);
            return switch (elementType) {
                case FLOAT32 -> (float) FLOAT.get(data, 4 * i);
                case FLOAT64 -> (double) DOUBLE.get(data, 8 * i);
                default -> throw new IllegalStateException("not a float array: " + elementType);
            };
        }

        /** Element {@code i} of a BOOL array. */
        public boolean getBoolean(int i) {
            Objects.checkIndex(i, size);
            if (elementType != GgufValueType.BOOL) {
                throw new IllegalStateException("not a BOOL array: " + elementType);
            }
            return data[i] != 0;
        }

        /** A FLOAT32 array as floats, or a FLOAT64 array rounded to floats. */
        public float[] toFloatArray() {
            float[] out = new float[size];
            switch (elementType) {
                case FLOAT32 -> MemorySegment.copy(MemorySegment.ofArray(data), F32, 0, out, 0, size);
                case FLOAT64 -> {
                    for (int i = 0; i < size; i++) {
                        out[i] = (float) (double) DOUBLE.get(data, 8 * i);
                    }
                }
                default -> throw new IllegalStateException("not a float array: " + elementType);
            }
            return out;
        }

        /**
         * An integer array as ints.
         *
         * @throws ArithmeticException naming the first element that lies outside the int range
         */
        public int[] toIntArray() {
            int[] out = new int[size];
            if (elementType == GgufValueType.INT32) {
                MemorySegment.copy(MemorySegment.ofArray(data), I32, 0, out, 0, size);
                return out;
            }
            for (int i = 0; i < size; i++) {
                long v = getLong(i);
                boolean fits = elementType == GgufValueType.UINT64 ? v >= 0 && v <= Integer.MAX_VALUE : v == (int) v;
                if (!fits) {
                    String shown = elementType == GgufValueType.UINT64 ? Long.toUnsignedString(v) : Long.toString(v);
                    throw new ArithmeticException("element " + i + " = " + shown + " (" + elementType + ") does not fit in an int");
                }
                out[i] = (int) v;
            }
            return out;
        }

        /** An integer array as longs; UINT64 elements come back as their bit pattern. */
        public long[] toLongArray() {
            long[] out = new long[size];
            for (int i = 0; i < size; i++) {
                out[i] = getLong(i);
            }
            return out;
        }

        /** The elements' bytes as a file stores them (little-endian). */
        public byte[] toLittleEndianBytes() {
            return data.clone();
        }

        /** The backing bytes, not copied; callers in this package must not modify them. */
        byte[] bytes() {
            return data;
        }

        private String element(int i) {
            return switch (elementType) {
                case FLOAT32, FLOAT64 -> Double.toString(getDouble(i));
                case BOOL -> Boolean.toString(getBoolean(i));
                case UINT64 -> Long.toUnsignedString(getLong(i));
                default -> Long.toString(getLong(i));
            };
        }

        @Override
        public String summary() {
            return Summaries.array(this, this::element);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ScalarArray other && elementType == other.elementType && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return 31 * elementType.hashCode() + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return summary();
        }
    }

    /** An array of strings. */
    final class StringArray implements ArrayValue {
        private final String[] values;

        /** Takes ownership of {@code values}, which must hold no null. */
        StringArray(String[] values) {
            this.values = values;
        }

        @Override
        public GgufValueType elementType() {
            return GgufValueType.STRING;
        }

        @Override
        public int size() {
            return values.length;
        }

        public String get(int i) {
            return values[i];
        }

        /** A copy of the strings. */
        public String[] toArray() {
            return values.clone();
        }

        /** An unmodifiable view of the strings, without copying them. */
        public List<String> asList() {
            return Collections.unmodifiableList(Arrays.asList(values));
        }

        @Override
        public String summary() {
            return Summaries.array(this, i -> Summaries.quote(values[i], 24));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StringArray other && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return summary();
        }
    }

    /** An array whose elements are arrays; each inner array has its own element type. */
    final class ArrayOfArrays implements ArrayValue {
        private final List<ArrayValue> elements;

        ArrayOfArrays(List<ArrayValue> elements) {
            this.elements = List.copyOf(elements);
        }

        @Override
        public GgufValueType elementType() {
            return GgufValueType.ARRAY;
        }

        @Override
        public int size() {
            return elements.size();
        }

        public ArrayValue get(int i) {
            return elements.get(i);
        }

        public List<ArrayValue> elements() {
            return elements;
        }

        @Override
        public String summary() {
            return Summaries.array(this, i -> elements.get(i).summary());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ArrayOfArrays other && elements.equals(other.elements);
        }

        @Override
        public int hashCode() {
            return elements.hashCode();
        }

        @Override
        public String toString() {
            return summary();
        }
    }
}
