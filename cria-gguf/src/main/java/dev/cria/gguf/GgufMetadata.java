package dev.cria.gguf;

import dev.cria.gguf.GgufValue.ArrayValue;
import dev.cria.gguf.GgufValue.BoolValue;
import dev.cria.gguf.GgufValue.Float32Value;
import dev.cria.gguf.GgufValue.Float64Value;
import dev.cria.gguf.GgufValue.IntegerValue;
import dev.cria.gguf.GgufValue.ScalarArray;
import dev.cria.gguf.GgufValue.StringArray;
import dev.cria.gguf.GgufValue.StringValue;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The key-value metadata of a GGUF file, in file order, copied onto the heap (it stays usable after the file is
 * closed).
 *
 * <p>The typed getters accept every stored type that represents the asked-for value exactly: {@link #getInt}
 * takes any of the eight integer types whose value fits in an int, {@link #getFloat} takes FLOAT32 and FLOAT64.
 * A missing key or a value of another type is a {@link GgufFormatException} naming the file, the key's byte
 * offset, the stored type and the expected one. The {@code find*} variants return empty for a missing key and
 * still refuse a wrong type.
 */
public final class GgufMetadata implements Iterable<GgufMetadata.Entry> {

    /**
     * One key-value pair.
     *
     * @param offset the byte offset of the key in the file
     */
    public record Entry(String key, GgufValue value, long offset) {
    }

    private final Path file;
    private final Map<String, Entry> entries;
    private final List<Entry> inOrder;

    /** {@code entries} in file order with unique keys; the map is taken over, not copied. */
    GgufMetadata(Path file, LinkedHashMap<String, Entry> entries) {
        this.file = file;
        this.entries = Collections.unmodifiableMap(entries);
        this.inOrder = List.copyOf(entries.values());
    }

    /** The file the metadata was read from. */
    public Path file() {
        return file;
    }

    public int size() {
        return inOrder.size();
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** The keys in file order. */
    public List<String> keys() {
        return inOrder.stream().map(Entry::key).toList();
    }

    /** The entries in file order. */
    public List<Entry> entries() {
        return inOrder;
    }

    @Override
    public Iterator<Entry> iterator() {
        return inOrder.iterator();
    }

    /** The entry of {@code key}, or null. */
    Entry entry(String key) {
        return entries.get(key);
    }

    public Optional<GgufValue> find(String key) {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(e.value());
    }

    public GgufValue get(String key) throws GgufFormatException {
        return require(key).value();
    }

    public String getString(String key) throws GgufFormatException {
        return string(require(key));
    }

    public Optional<String> findString(String key) throws GgufFormatException {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(string(e));
    }

    /** Any integer type whose value fits in an int. */
    public int getInt(String key) throws GgufFormatException {
        return intOf(require(key));
    }

    public OptionalInt findInt(String key) throws GgufFormatException {
        Entry e = entries.get(key);
        return e == null ? OptionalInt.empty() : OptionalInt.of(intOf(e));
    }

    /** Any integer type whose value fits in a long (every one but UINT64 values of 2^63 and more). */
    public long getLong(String key) throws GgufFormatException {
        return longOf(require(key));
    }

    public OptionalLong findLong(String key) throws GgufFormatException {
        Entry e = entries.get(key);
        return e == null ? OptionalLong.empty() : OptionalLong.of(longOf(e));
    }

    /** A FLOAT32, or a FLOAT64 rounded to float. */
    public float getFloat(String key) throws GgufFormatException {
        return (float) doubleOf(require(key));
    }

    public Optional<Float> findFloat(String key) throws GgufFormatException {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of((float) doubleOf(e));
    }

    /** A FLOAT32 or FLOAT64. */
    public double getDouble(String key) throws GgufFormatException {
        return doubleOf(require(key));
    }

    public OptionalDouble findDouble(String key) throws GgufFormatException {
        Entry e = entries.get(key);
        return e == null ? OptionalDouble.empty() : OptionalDouble.of(doubleOf(e));
    }

    public boolean getBoolean(String key) throws GgufFormatException {
        return booleanOf(require(key));
    }

    public Optional<Boolean> findBoolean(String key) throws GgufFormatException {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(booleanOf(e));
    }

    /** An array of strings, e.g. {@code tokenizer.ggml.tokens} or {@code tokenizer.ggml.merges}. */
    public String[] getStringArray(String key) throws GgufFormatException {
        return stringArray(require(key));
    }

    public Optional<String[]> findStringArray(String key) throws GgufFormatException {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(stringArray(e));
    }

    /** An array of FLOAT32 (or FLOAT64, rounded), e.g. {@code tokenizer.ggml.scores}. */
    public float[] getFloatArray(String key) throws GgufFormatException {
        return floatArray(require(key));
    }

    public Optional<float[]> findFloatArray(String key) throws GgufFormatException {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(floatArray(e));
    }

    /** An array of any integer type whose elements all fit in an int, e.g. {@code tokenizer.ggml.token_type}. */
    public int[] getIntArray(String key) throws GgufFormatException {
        return intArray(require(key));
    }

    public Optional<int[]> findIntArray(String key) throws GgufFormatException {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(intArray(e));
    }

    /** One line per key: name, type and a short value, in file order. */
    public String describe() {
        int keyWidth = 0;
        int typeWidth = 0;
        for (Entry e : inOrder) {
            keyWidth = Math.max(keyWidth, e.key().length());
            typeWidth = Math.max(typeWidth, typeName(e.value()).length());
        }
        StringBuilder out = new StringBuilder();
        for (Entry e : inOrder) {
            String type = typeName(e.value());
            String summary = e.value().summary();
            // An array's summary starts with its type, already shown in the type column.
            String shown = summary.startsWith(type + " ") ? summary.substring(type.length() + 1) : summary;
            out.append("  ").append(pad(e.key(), keyWidth)).append("  ").append(pad(type, typeWidth))
                    .append("  ").append(shown).append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "GgufMetadata[" + inOrder.size() + " keys from " + file + "]";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private Entry require(String key) throws GgufFormatException {
        Entry e = entries.get(key);
        if (e == null) {
            throw new GgufFormatException(file, -1, "metadata key '" + key + "' is missing");
        }
        return e;
    }

    private GgufFormatException wrongType(Entry e, String expected) {
        return new GgufFormatException(file, e.offset(), "metadata key '" + e.key() + "' is " + typeName(e.value())
                + ", expected " + expected);
    }

    private static String typeName(GgufValue v) {
        return v instanceof ArrayValue a ? "ARRAY[" + a.elementType() + "]" : v.type().toString();
    }

    private String string(Entry e) throws GgufFormatException {
        if (e.value() instanceof StringValue s) {
            return s.value();
        }
        throw wrongType(e, "STRING");
    }

    private int intOf(Entry e) throws GgufFormatException {
        if (e.value() instanceof IntegerValue i) {
            if (!i.fitsInInt()) {
                throw new GgufFormatException(file, e.offset(), "metadata key '" + e.key() + "' = " + i.summary()
                        + " (" + i.type() + ") does not fit in an int");
            }
            return (int) i.bits();
        }
        throw wrongType(e, "an integer");
    }

    private long longOf(Entry e) throws GgufFormatException {
        if (e.value() instanceof IntegerValue i) {
            if (!i.fitsInLong()) {
                throw new GgufFormatException(file, e.offset(), "metadata key '" + e.key() + "' = " + i.summary()
                        + " (" + i.type() + ") does not fit in a long");
            }
            return i.bits();
        }
        throw wrongType(e, "an integer");
    }

    private double doubleOf(Entry e) throws GgufFormatException {
        return switch (e.value()) {
            case Float32Value f -> f.value();
            case Float64Value d -> d.value();
            default -> throw wrongType(e, "FLOAT32 or FLOAT64");
        };
    }

    private boolean booleanOf(Entry e) throws GgufFormatException {
        if (e.value() instanceof BoolValue b) {
            return b.value();
        }
        throw wrongType(e, "BOOL");
    }

    private String[] stringArray(Entry e) throws GgufFormatException {
        if (e.value() instanceof StringArray a) {
            return a.toArray();
        }
        throw wrongType(e, "ARRAY[STRING]");
    }

    private float[] floatArray(Entry e) throws GgufFormatException {
        if (e.value() instanceof ScalarArray a && a.elementType().isFloat()) {
            return a.toFloatArray();
        }
        throw wrongType(e, "ARRAY[FLOAT32] or ARRAY[FLOAT64]");
    }

    private int[] intArray(Entry e) throws GgufFormatException {
        if (e.value() instanceof ScalarArray a && a.elementType().isInteger()) {
            try {
                return a.toIntArray();
            } catch (ArithmeticException overflow) {
                throw new GgufFormatException(file, e.offset(), "metadata key '" + e.key() + "': "
                        + overflow.getMessage());
            }
        }
        throw wrongType(e, "an array of integers");
    }
}
