package dev.cria.tokenizer.spm;

import static dev.cria.tokenizer.spm.SpecField.Kind.BOOL;
import static dev.cria.tokenizer.spm.SpecField.Kind.BYTES;
import static dev.cria.tokenizer.spm.SpecField.Kind.STRING;

import java.util.List;

/** SentencePiece's NormalizerSpec. Proto2 defaults matter: an absent add_dummy_prefix, remove_extra_whitespaces or escape_whitespaces means true. */
public final class NormalizerSpec {
    public static final List<SpecField> SCHEMA = List.of(
            new SpecField(1, "name", STRING, ""),
            new SpecField(2, "precompiled_charsmap", BYTES, new byte[0]),
            new SpecField(3, "add_dummy_prefix", BOOL, true),
            new SpecField(4, "remove_extra_whitespaces", BOOL, true),
            new SpecField(5, "escape_whitespaces", BOOL, true),
            new SpecField(6, "normalization_rule_tsv", STRING, ""));

    private final SpecMessage values;

    public NormalizerSpec() {
        this(new SpecMessage(SCHEMA));
    }

    NormalizerSpec(SpecMessage values) {
        this.values = values;
    }

    public SpecMessage values() {
        return values;
    }

    public NormalizerSpec copy() {
        return new NormalizerSpec(values.copy());
    }

    public String name() {
        return values.getString("name");
    }

    public byte[] precompiledCharsmap() {
        return values.getBytes("precompiled_charsmap");
    }

    public boolean addDummyPrefix() {
        return values.getBool("add_dummy_prefix");
    }

    public boolean removeExtraWhitespaces() {
        return values.getBool("remove_extra_whitespaces");
    }

    public boolean escapeWhitespaces() {
        return values.getBool("escape_whitespaces");
    }

    public String normalizationRuleTsv() {
        return values.getString("normalization_rule_tsv");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NormalizerSpec n && n.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }
}
