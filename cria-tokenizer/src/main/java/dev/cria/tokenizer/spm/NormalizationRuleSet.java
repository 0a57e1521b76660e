package dev.cria.tokenizer.spm;

import dev.cria.tokenizer.TokenizerFormatException;

/** Named normalization rules (spm_train's --normalization_rule_name) and user TSV rules, compiled to charsmap blobs. */
public final class NormalizationRuleSet {
    private NormalizationRuleSet() {
    }

    public static byte[] compile(String name) throws TokenizerFormatException {
        if (name.equals("identity")) {
            return new byte[0];
        }
        throw new TokenizerFormatException("normalization rule '" + name + "' is not available yet");
    }

    public static byte[] compileTsv(String tsv) throws TokenizerFormatException {
        throw new TokenizerFormatException("normalization_rule_tsv is not available yet");
    }
}
