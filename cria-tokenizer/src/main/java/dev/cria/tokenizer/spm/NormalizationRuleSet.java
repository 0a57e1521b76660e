package dev.cria.tokenizer.spm;

import dev.cria.tokenizer.TokenizerFormatException;
import dev.cria.tokenizer.spm.normalize.NormalizationRules;

/** Named normalization rules (spm_train's --normalization_rule_name) and user TSV rules, compiled to charsmap blobs. */
public final class NormalizationRuleSet {
    private NormalizationRuleSet() {
    }

    public static byte[] compile(String name) throws TokenizerFormatException {
        try {
            return NormalizationRules.compile(name);
        } catch (IllegalArgumentException e) {
            throw new TokenizerFormatException("normalization rule '" + name + "': " + e.getMessage()
                    + " (expected one of " + String.join(", ", NormalizationRules.NAMES) + ")");
        }
    }

    public static byte[] compileTsv(String tsv) throws TokenizerFormatException {
        return NormalizationRules.compileTsv(tsv);
    }
}
