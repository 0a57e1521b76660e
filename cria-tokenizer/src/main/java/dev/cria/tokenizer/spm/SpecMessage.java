package dev.cria.tokenizer.spm;

import dev.cria.tokenizer.TokenizerFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A proto2 message described by a field table: it remembers which fields are present (proto2 "has" bits),
 * answers absent fields with their declared defaults, and keeps unknown fields so a model survives a round trip.
 */
public final class SpecMessage {
    private final Map<Integer, SpecField> byNumber = new TreeMap<>();
    private final Map<String, SpecField> byName = new LinkedHashMap<>();
    private final TreeMap<Integer, Object> present = new TreeMap<>();
    private final List<UnknownField> unknown = new ArrayList<>();

    /** An unknown field kept verbatim: its number, wire type and payload bytes (varints re-encoded on write). */
    private record UnknownField(int number, int wireType, long scalar, byte[] payload) {
    }

    SpecMessage(List<SpecField> schema) {
        for (SpecField f : schema) {
            byNumber.put(f.number(), f);
            byName.put(f.name(), f);
        }
    }

    SpecMessage copy() {
        SpecMessage c = new SpecMessage(List.copyOf(byNumber.values()));
        present.forEach((k, v) -> c.present.put(k, v instanceof List<?> l ? new ArrayList<>(l) : v));
        c.unknown.addAll(unknown);
        return c;
    }

    public SpecField field(String name) {
        SpecField f = byName.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no field '" + name + "'");
        }
        return f;
    }

    public boolean hasField(String name) {
        return byName.containsKey(name);
    }

    public List<SpecField> fields() {
        return List.copyOf(byNumber.values());
    }

    public boolean has(String name) {
        return present.containsKey(field(name).number());
    }

    public Object get(String name) {
        SpecField f = field(name);
        Object v = present.get(f.number());
        return v != null ? v : f.defaultValue();
    }

    public void set(String name, Object value) {
        SpecField f = field(name);
        Object checked = switch (f.kind()) {
            case STRING, BYTES -> value instanceof byte[] ? value : (String) value;
            case INT32 -> (Integer) value;
            case UINT64 -> ((Number) value).longValue();
            case FLOAT -> ((Number) value).floatValue();
            case BOOL -> (Boolean) value;
            case REPEATED_STRING -> {
                List<String> list = new ArrayList<>();
                for (Object o : (List<?>) value) {
                    list.add((String) o);
                }
                yield list;
            }
            case MODEL_TYPE -> (ModelType) value;
        };
        present.put(f.number(), checked);
    }

    public void clear(String name) {
        present.remove(field(name).number());
    }

    public String getString(String name) {
        Object v = get(name);
        return v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : (String) v;
    }

    public byte[] getBytes(String name) {
        Object v = get(name);
        return v instanceof byte[] b ? b : ((String) v).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public int getInt(String name) {
        return ((Number) get(name)).intValue();
    }

    public long getLong(String name) {
        return ((Number) get(name)).longValue();
    }

    public float getFloat(String name) {
        return ((Number) get(name)).floatValue();
    }

    public boolean getBool(String name) {
        return (Boolean) get(name);
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String name) {
        return Collections.unmodifiableList((List<String>) get(name));
    }

    void read(ProtoReader in) throws TokenizerFormatException {
        while (in.hasMore()) {
            int at = in.position();
            int number = in.nextField();
            SpecField f = byNumber.get(number);
            if (f == null) {
                keepUnknown(number, in);
                continue;
            }
            int wire = in.wireType();
            int expectedWire = switch (f.kind()) {
                case STRING, BYTES, REPEATED_STRING -> ProtoReader.LENGTH_DELIMITED;
                case FLOAT -> ProtoReader.FIXED32;
                default -> ProtoReader.VARINT;
            };
            if (wire != expectedWire) {
                throw in.error(at, "field " + f.name() + " (" + number + ") has wire type " + wire + ", expected " + expectedWire);
            }
            switch (f.kind()) {
                case STRING -> present.put(number, in.readString());
                case BYTES -> present.put(number, in.readBytes());
                case INT32 -> present.put(number, in.readInt32());
                case UINT64 -> present.put(number, in.readVarint());
                case FLOAT -> present.put(number, in.readFloat());
                case BOOL -> present.put(number, in.readBool());
                case MODEL_TYPE -> {
                    int code = in.readInt32();
                    try {
                        present.put(number, ModelType.ofCode(code));
                    } catch (IllegalArgumentException e) {
                        throw in.error(at, f.name() + ": " + e.getMessage());
                    }
                }
                case REPEATED_STRING -> {
                    @SuppressWarnings("unchecked")
                    List<String> list = (List<String>) present.computeIfAbsent(number, k -> new ArrayList<String>());
                    list.add(in.readString());
                }
            }
        }
    }

    private void keepUnknown(int number, ProtoReader in) throws TokenizerFormatException {
        int wire = in.wireType();
        switch (wire) {
            case ProtoReader.VARINT -> unknown.add(new UnknownField(number, wire, in.readVarint(), null));
            case ProtoReader.FIXED32 -> unknown.add(new UnknownField(number, wire, in.readFixed32() & 0xFFFFFFFFL, null));
            case ProtoReader.LENGTH_DELIMITED -> unknown.add(new UnknownField(number, wire, 0, in.readBytes()));
            default -> in.skip();
        }
    }

    ProtoWriter write() {
        ProtoWriter out = new ProtoWriter();
        List<UnknownField> pending = new ArrayList<>(unknown);
        pending.sort((a, b) -> Integer.compare(a.number(), b.number()));
        int u = 0;
        for (Map.Entry<Integer, Object> e : present.entrySet()) {
            while (u < pending.size() && pending.get(u).number() < e.getKey()) {
                writeUnknown(out, pending.get(u++));
            }
            SpecField f = byNumber.get(e.getKey());
            Object v = e.getValue();
            switch (f.kind()) {
                case STRING -> out.stringField(f.number(), (String) v);
                case BYTES -> out.bytesField(f.number(), v instanceof byte[] b ? b : ((String) v).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                case INT32 -> out.int32Field(f.number(), (Integer) v);
                case UINT64 -> out.varintField(f.number(), (Long) v);
                case FLOAT -> out.floatField(f.number(), (Float) v);
                case BOOL -> out.boolField(f.number(), (Boolean) v);
                case MODEL_TYPE -> out.int32Field(f.number(), ((ModelType) v).code());
                case REPEATED_STRING -> {
                    for (Object s : (List<?>) v) {
                        out.stringField(f.number(), (String) s);
                    }
                }
            }
        }
        while (u < pending.size()) {
            writeUnknown(out, pending.get(u++));
        }
        return out;
    }

    private static void writeUnknown(ProtoWriter out, UnknownField f) {
        switch (f.wireType()) {
            case ProtoReader.VARINT -> out.varintField(f.number(), f.scalar());
            case ProtoReader.FIXED32 -> out.floatField(f.number(), Float.intBitsToFloat((int) f.scalar()));
            default -> out.bytesField(f.number(), f.payload());
        }
    }

    /** Lines {@code name: value} for every field, as spm_train logs its spec; absent fields show their default. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (SpecField f : byNumber.values()) {
            Object v = get(f.name());
            String shown = switch (v) {
                case byte[] b -> b.length + " bytes";
                case List<?> l -> String.join(",", l.stream().map(Object::toString).toList());
                case Boolean b -> b ? "1" : "0";
                default -> String.valueOf(v);
            };
            lines.add(f.name() + ": " + shown + (present.containsKey(f.number()) ? "" : " (default)"));
        }
        return lines;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SpecMessage m) || !m.byNumber.keySet().equals(byNumber.keySet())) {
            return false;
        }
        if (!m.present.keySet().equals(present.keySet())) {
            return false;
        }
        for (var e : present.entrySet()) {
            Object a = e.getValue();
            Object b = m.present.get(e.getKey());
            if (a instanceof byte[] x && b instanceof byte[] y ? !Arrays.equals(x, y) : !a.equals(b)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return present.keySet().hashCode();
    }
}
