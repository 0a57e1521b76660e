package dev.cria.tokenizer.spm.normalize;

import dev.cria.tokenizer.TokenizerFormatException;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The normalization rules {@code spm_train} offers, compiled into {@code precompiled_charsmap} blobs.
 *
 * <ul>
 *   <li>{@code nmt_nfkc} (SentencePiece's default): NFKC plus the NMT whitespace and control-character rules.
 *   <li>{@code nfkc}: NFKC as longest-match rules.
 *   <li>{@code nmt_nfkc_cf}, {@code nfkc_cf}: the same followed by Unicode simple case folding.
 *   <li>{@code identity}: no rules, an empty blob.
 *   <li>user rules from TSV ({@code normalization_rule_tsv}), see {@link #parseTsv(String)}.
 * </ul>
 * SentencePiece ships these blobs precompiled with ICU's Unicode 13 tables; here they are derived from the JDK's
 * (newer) tables, so characters added to Unicode since then get rules SentencePiece's blobs lack. Results are
 * computed once per rule name and cached; every call returns a fresh copy.
 */
public final class NormalizationRules {

    /** The rule names {@link #compile(String)} accepts, in SentencePiece's spelling. */
    public static final List<String> NAMES = List.of("nmt_nfkc", "nfkc", "nmt_nfkc_cf", "nfkc_cf", "identity");

    /** Code point order, which is also the UTF-8 byte order the trie uses; String order differs above U+FFFF. */
    private static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private static final Map<String, Map<String, String>> RULES = new ConcurrentHashMap<>();
    private static final Map<String, byte[]> BLOBS = new ConcurrentHashMap<>();

    private NormalizationRules() {
    }

    /**
     * The {@code precompiled_charsmap} blob of a named rule set; {@code identity} gives an empty array.
     *
     * @throws IllegalArgumentException for a name not in {@link #NAMES}
     */
    public static byte[] compile(String ruleName) {
        Map<String, String> rules = rulesOf(ruleName);
        return BLOBS.computeIfAbsent(ruleName, name -> CharsMapBuilder.build(rules)).clone();
    }

    /**
     * The rules of a named rule set, in code point order of their sources (as {@code spm_normalize --decompile}
     * lists them); {@code identity} has none.
     *
     * @throws IllegalArgumentException for a name not in {@link #NAMES}
     */
    public static SortedMap<String, String> rules(String ruleName) {
        TreeMap<String, String> sorted = new TreeMap<>(CODE_POINT_ORDER);
        sorted.putAll(rulesOf(ruleName));
        return Collections.unmodifiableSortedMap(sorted);
    }

    private static Map<String, String> rulesOf(String ruleName) {
        if (!NAMES.contains(ruleName)) {
            throw new IllegalArgumentException("unknown normalization rule name '" + ruleName + "'; expected one of "
                    + NAMES);
        }
        Map<String, String> known = RULES.get(ruleName);
        if (known != null) {
            return known;
        }
        // Derived maps ask for their base first, outside computeIfAbsent (which must not recurse).
        Map<String, String> built = switch (ruleName) {
            case "identity" -> Map.of();
            case "nfkc" -> UnicodeRuleMaps.nfkc();
            case "nmt_nfkc" -> UnicodeRuleMaps.withNmtRules(rulesOf("nfkc"));
            case "nfkc_cf" -> UnicodeRuleMaps.withCaseFolding(rulesOf("nfkc"));
            case "nmt_nfkc_cf" -> UnicodeRuleMaps.withCaseFolding(rulesOf("nmt_nfkc"));
            default -> throw new IllegalStateException(ruleName);
        };
        Map<String, String> frozen = Collections.unmodifiableMap(built);
        Map<String, String> raced = RULES.putIfAbsent(ruleName, frozen);
        return raced != null ? raced : frozen;
    }

    /** Compiles user rules in SentencePiece's TSV format; see {@link #parseTsv(String)}. */
    public static byte[] compileTsv(String tsv) throws TokenizerFormatException {
        return CharsMapBuilder.build(parseTsv(tsv));
    }

    /**
     * Parses SentencePiece's rule TSV (doc/normalization.md, builder.cc LoadCharsMap): per line, the source code
     * points in hex separated by spaces, a TAB, then the replacement code points the same way. A missing or empty
     * replacement deletes the source; columns after the second (such as {@code # comment}) are ignored; a
     * {@code U+} prefix is allowed; a repeated source takes the last line's replacement. Unlike SentencePiece,
     * blank lines and lines starting with {@code #} are skipped, and a bad number is an error rather than 0.
     *
     * @throws TokenizerFormatException naming the line and column of a malformed entry
     */
    public static SortedMap<String, String> parseTsv(String tsv) throws TokenizerFormatException {
        TreeMap<String, String> rules = new TreeMap<>(CODE_POINT_ORDER);
        int lineNumber = 0;
        for (String line : tsv.split("\n", -1)) {
            lineNumber++;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            String source = codePoints(fields[0], lineNumber, 1);
            if (source.isEmpty()) {
                throw new TokenizerFormatException("normalization rule TSV: line " + lineNumber
                        + ": expected source code points in hex before the first TAB");
            }
            String replacement = fields.length > 1 ? codePoints(fields[1], lineNumber, fields[0].length() + 2) : "";
            rules.put(source, replacement);
        }
        return rules;
    }

    private static String codePoints(String field, int lineNumber, int firstColumn) throws TokenizerFormatException {
        StringBuilder out = new StringBuilder();
        int column = firstColumn;
        for (String token : field.split(" ", -1)) {
            if (!token.isEmpty()) {
                String digits = token.startsWith("U+") || token.startsWith("u+") ? token.substring(2) : token;
                int cp = parseHex(digits);
                if (cp <= 0 || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
                    throw new TokenizerFormatException("normalization rule TSV: line " + lineNumber + ", column "
                            + column + ": expected a hex code point in 1..10FFFF outside the surrogates, found '"
                            + token + "'");
                }
                out.appendCodePoint(cp);
            }
            column += token.length() + 1;
        }
        return out.toString();
    }

    /** The value of 1 to 6 hex digits, or -1. */
    private static int parseHex(String digits) {
        if (digits.isEmpty() || digits.length() > 6) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            int digit = c >= '0' && c <= '9' ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                    : -1;
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
