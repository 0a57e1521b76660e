package dev.cria.tokenizer.spm.normalize;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rule maps behind SentencePiece's named normalizations, derived as its {@code builder.cc} derives them
 * (BuildNFKCMap, MergeNmtMap, MergeUnicodeCaseFoldMap, RemoveRedundantMap), with the JDK's Unicode tables in place
 * of ICU's. Keys and values are strings of code points; maps are unordered here.
 */
final class UnicodeRuleMaps {

    private static final int MAX_CODE_POINT = 0x10FFFF;

    private UnicodeRuleMaps() {
    }

    /**
     * NFKC as a longest-match rule map.
     *
     * <ul>
     *   <li>Every code point whose NFKC differs from itself maps to its NFKC.
     *   <li>A character can also arrive decomposed: for each multi-character NFKD {@code d} of some code point
     *       with {@code NFC(d) != d}, every sequence whose characters each have NFKD equal to the matching character
     *       of {@code d} (e.g. {@code A + U+030A}, {@code U+FF21 + U+030A}, compatibility jamo for Hangul) maps to
     *       {@code NFC(d)}.
     *   <li>Rules that shorter rules already reproduce are dropped ({@link #removeRedundant}).
     * </ul>
     * Longest match cannot reorder combining marks, so this is not full NFKC (SentencePiece's builder.h says so).
     */
    static Map<String, String> nfkc() {
        Map<String, String> rules = new HashMap<>();
        // For a character c, the other code points whose NFKD is exactly c (e.g. U+FF21 and U+1D400 for 'A').
        Map<Integer, List<Integer>> decomposingTo = new HashMap<>();
        Set<String> multiCharNfkd = new HashSet<>();
        for (int cp = 1; cp <= MAX_CODE_POINT; cp++) {
            // Unassigned and private-use code points normalize to themselves and occur in no decomposition.
            int type = Character.getType(cp);
            if (!isUnicodeChar(cp) || type == Character.UNASSIGNED || type == Character.PRIVATE_USE) {
                continue;
            }
            String single = Character.toString(cp);
            if (Normalizer.isNormalized(single, Normalizer.Form.NFKD)) {
                continue;
            }
            String nfkc = Normalizer.normalize(single, Normalizer.Form.NFKC);
            if (!nfkc.equals(single)) {
                rules.put(single, nfkc);
            }
            String nfkd = Normalizer.normalize(single, Normalizer.Form.NFKD);
            if (nfkd.codePointCount(0, nfkd.length()) == 1) {
                decomposingTo.computeIfAbsent(nfkd.codePointAt(0), k -> new ArrayList<>(2)).add(cp);
            } else {
                multiCharNfkd.add(nfkd);
            }
        }
        for (String nfkd : multiCharNfkd) {
            // NFKC of an NFKD string is its canonical composition.
            String composed = Normalizer.normalize(nfkd, Normalizer.Form.NFC);
            if (composed.equals(nfkd)) {
                continue;
            }
            for (String variant : expand(nfkd, decomposingTo)) {
                if (!variant.equals(composed)) {
                    rules.put(variant, composed);
                }
            }
        }
        return removeRedundant(rules);
    }

    /**
     * Every string whose characters have, one by one, the NFKD given by the characters of {@code nfkd}: each
     * character of an NFKD form stands for itself or for any code point that decomposes to exactly it.
     */
    private static List<String> expand(String nfkd, Map<Integer, List<Integer>> decomposingTo) {
        List<String> variants = List.of("");
        for (int i = 0; i < nfkd.length(); ) {
            int cp = nfkd.codePointAt(i);
            i += Character.charCount(cp);
            List<Integer> others = decomposingTo.getOrDefault(cp, List.of());
            List<String> longer = new ArrayList<>(variants.size() * (1 + others.size()));
            for (String prefix : variants) {
                longer.add(prefix + Character.toString(cp));
                for (int other : others) {
                    longer.add(prefix + Character.toString(other));
                }
            }
            variants = longer;
        }
        return variants;
    }

    /**
     * SentencePiece's NMT additions (builder.cc MergeNmtMap): more characters become a space, C0 controls other than
     * TAB/LF/FF/CR and DEL, U+008F, U+009F are deleted, and FULLWIDTH TILDE is left alone because Japanese uses it
     * differently from the ASCII tilde.
     */
    static Map<String, String> withNmtRules(Map<String, String> nfkc) {
        Map<String, String> rules = new HashMap<>(nfkc);
        int[] toSpace = {
            0x0009, 0x000A, 0x000C, 0x000D, // TAB, LINE FEED, FORM FEED, CARRIAGE RETURN
            0x1680, // OGHAM SPACE MARK
            0x200B, 0x200C, // ZERO WIDTH SPACE, ZERO WIDTH NON-JOINER (ZERO WIDTH JOINER is kept)
            0x200E, 0x200F, // LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK
            0x2028, 0x2029, // LINE SEPARATOR, PARAGRAPH SEPARATOR
            0x2581, // LOWER ONE EIGHTH BLOCK, SentencePiece's own space symbol
            0xFEFF, // ZERO WIDTH NO-BREAK SPACE
            0xFFFD, // REPLACEMENT CHARACTER
        };
        for (int cp : toSpace) {
            rules.put(Character.toString(cp), " ");
        }
        for (int cp = 0x01; cp <= 0x1F; cp++) {
            if (cp != 0x09 && cp != 0x0A && cp != 0x0C && cp != 0x0D) {
                rules.put(Character.toString(cp), "");
            }
        }
        for (int cp : new int[] {0x7F, 0x8F, 0x9F}) {
            rules.put(Character.toString(cp), "");
        }
        rules.remove("\uFF5E");
        return removeRedundant(rules);
    }

    /**
     * Adds simple case folding (builder.cc MergeUnicodeCaseFoldMap, ICU {@code u_foldCase(c, U_FOLD_CASE_DEFAULT)}):
     * every replacement is folded character by character, and every code point without a rule of its own that
     * folds to something else gets the rule {@code cp -> fold(cp)}.
     */
    static Map<String, String> withCaseFolding(Map<String, String> base) {
        Map<String, String> rules = new HashMap<>(base.size() * 2);
        for (Map.Entry<String, String> rule : base.entrySet()) {
            rules.put(rule.getKey(), foldEach(rule.getValue()));
        }
        for (int cp = 1; cp <= MAX_CODE_POINT; cp++) {
            if (!isUnicodeChar(cp) || Character.getType(cp) == Character.UNASSIGNED) {
                continue;
            }
            String single = Character.toString(cp);
            int folded = simpleCaseFold(cp);
            if (folded != cp && !rules.containsKey(single)) {
                rules.put(single, Character.toString(folded));
            }
        }
        return removeRedundant(rules);
    }

    private static String foldEach(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.appendCodePoint(simpleCaseFold(cp)));
        return out.toString();
    }

    /**
     * Unicode simple case folding (CaseFolding.txt statuses C and S). For almost every code point this is
     * lowercase(uppercase(cp)), which also sends final sigma, the Greek symbol variants, long s, KELVIN SIGN and
     * titlecase digraphs where the fold sends them. The exceptions: Cherokee folds to uppercase (its lowercase
     * letters came later, and folds stay stable); U+0130 (capital I with dot) has only a full and a Turkic fold and
     * U+0131 (dotless i) none, so both fold to themselves.
     */
    static int simpleCaseFold(int cp) {
        if (cp == 0x0130 || cp == 0x0131) {
            return cp;
        }
        if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.CHEROKEE) {
            return Character.toUpperCase(cp);
        }
        return Character.toLowerCase(Character.toUpperCase(cp));
    }

    /**
     * Drops every rule of two or more characters whose replacement the shorter rules already produce by longest
     * match (builder.cc RemoveRedundantMap).
     *
     * <p>SentencePiece then re-applies the kept rules to every original source as a check. That check cannot fail:
     * a kept source matches itself; for a dropped source of n characters, the only keys that could match and were
     * not consulted are longer ones (which cannot fit) or n-character ones, and the only n-character key that fits
     * is the dropped source itself. So it is not repeated here.
     */
    static Map<String, String> removeRedundant(Map<String, String> rules) {
        int maxLength = 0;
        for (String source : rules.keySet()) {
            maxLength = Math.max(maxLength, source.codePointCount(0, source.length()));
        }
        List<List<Map.Entry<String, String>>> byLength = new ArrayList<>();
        for (int length = 0; length <= maxLength; length++) {
            byLength.add(new ArrayList<>());
        }
        for (Map.Entry<String, String> rule : rules.entrySet()) {
            byLength.get(rule.getKey().codePointCount(0, rule.getKey().length())).add(rule);
        }
        Map<String, String> kept = new HashMap<>(rules.size() * 2);
        for (int length = 1; length <= maxLength; length++) {
            // Rules of this length do not see each other: the search is limited to shorter keys.
            for (Map.Entry<String, String> rule : byLength.get(length)) {
                if (length == 1 || !reproduces(kept, rule.getKey(), length - 1, rule.getValue())) {
                    kept.put(rule.getKey(), rule.getValue());
                }
            }
        }
        return kept;
    }

    /**
     * Whether leftmost-longest matching of {@code rules} (keys of at most {@code maxLength} code points) turns
     * {@code text} into {@code expected}; characters without a rule are copied. Stops at the first difference.
     */
    static boolean reproduces(Map<String, String> rules, String text, int maxLength, String expected) {
        int produced = 0;
        int at = 0;
        while (at < text.length()) {
            int end = at;
            for (int n = 0; n < maxLength && end < text.length(); n++) {
                end += Character.charCount(text.codePointAt(end));
            }
            String replacement = null;
            while (end > at) {
                replacement = rules.get(text.substring(at, end));
                if (replacement != null) {
                    break;
                }
                end -= Character.isLowSurrogate(text.charAt(end - 1)) && end - 2 >= at ? 2 : 1;
            }
            if (replacement == null) {
                end = at + Character.charCount(text.codePointAt(at));
                if (!expected.regionMatches(produced, text, at, end - at)) {
                    return false;
                }
                produced += end - at;
            } else {
                if (!expected.startsWith(replacement, produced)) {
                    return false;
                }
                produced += replacement.length();
            }
            at = end;
        }
        return produced == expected.length();
    }

    /** ICU's U_IS_UNICODE_CHAR: a scalar value that is not a noncharacter. */
    static boolean isUnicodeChar(int cp) {
        return cp >= 0 && cp <= MAX_CODE_POINT && (cp < 0xD800 || cp > 0xDFFF) && (cp < 0xFDD0 || cp > 0xFDEF)
                && (cp & 0xFFFE) != 0xFFFE;
    }
}
