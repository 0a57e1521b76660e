package dev.cria.data.source.github;

import java.util.Locale;
import java.util.Optional;

/**
 * Names the licence of a LICENSE/COPYING text by the clauses that define it, so any copyright line, year, name or
 * line wrapping leaves the answer unchanged. It knows the permissive families LLaMA kept (MIT, BSD, Apache;
 * DATA-RULES §4) with their variants, and the common copyleft and other licences so that they are named rather than
 * mistaken for one of those.
 */
public final class LicenseClassifier {

    private LicenseClassifier() {
    }

    /** The SPDX id, or empty when the text is not a licence this classifier knows. */
    public static Optional<String> classify(String licenseText) {
        String t = normalize(licenseText);
        return Optional.ofNullable(identify(t));
    }

    /** Whether a repository under this licence is kept: the SPDX id starts with mit, bsd or apache (BigQuery's LIKE). */
    public static boolean isKept(String spdx) {
        String s = spdx.toLowerCase(Locale.ROOT);
        return s.startsWith("mit") || s.startsWith("bsd") || s.startsWith("apache");
    }

    /** Lower case, every run of non-alphanumerics to one space. */
    static String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean space = true;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLetterOrDigit(c)) {
                out.appendCodePoint(Character.toLowerCase(c));
                space = false;
            } else if (!space) {
                out.append(' ');
                space = true;
            }
        }
        return out.toString().strip();
    }

    /**
     * Copyleft and other named licences mention each other in their preambles (the GPL names the LGPL, CeCILL names
     * the AGPL), so they are recognized by their title, in the first few hundred characters; the permissive ones by
     * their clauses.
     */
    private static String identify(String t) {
        String head = t.substring(0, Math.min(t.length(), 300));
        if (head.contains("gnu affero general public license")) {
            return "AGPL-3.0";
        }
        if (head.contains("gnu lesser general public license") || head.contains("gnu library general public license")) {
            return head.contains("version 3") ? "LGPL-3.0" : "LGPL-2.1";
        }
        if (head.contains("gnu free documentation license")) {
            return "GFDL-1.3";
        }
        if (head.contains("gnu general public license")) {
            return head.contains("version 3") ? "GPL-3.0" : "GPL-2.0";
        }
        if (head.contains("mozilla public license version 2 0")) {
            return "MPL-2.0";
        }
        if (head.contains("eclipse public license")) {
            return head.contains("v 2 0") || head.contains("version 2 0") ? "EPL-2.0" : "EPL-1.0";
        }
        if (head.contains("educational community license")) {
            return "ECL-2.0";
        }
        if (head.contains("european union public licen")) {
            return head.contains("v 1 2") || head.contains("v1 2") ? "EUPL-1.2" : "EUPL-1.1";
        }
        if (head.contains("cecill")) {
            return "CECILL-2.1";
        }
        if (t.contains("apache license") && t.contains("version 2 0")) {
            return "Apache-2.0";
        }
        if (t.contains("university of illinois ncsa open source license")) {
            return "NCSA";
        }
        if (t.contains("universal permissive license")) {
            return "UPL-1.0";
        }
        if (t.contains("boost software license")) {
            return "BSL-1.0";
        }
        if (t.contains("permission is hereby granted free of charge to any person obtaining a copy of this software "
                + "and associated documentation files")) {
            return t.contains("the above copyright notice and this permission notice shall be included") ? "MIT" : "MIT-0";
        }
        if (t.contains("redistribution and use in source and binary forms with or without modification are permitted")) {
            if (t.contains("all advertising materials mentioning features or use of this software")) {
                return "BSD-4-Clause";
            }
            if (t.contains("no express or implied licenses to any party s patent rights")) {
                return "BSD-3-Clause-Clear";
            }
            if (t.contains("hereby grants to those receiving rights under this license a perpetual")) {
                return "BSD-2-Clause-Patent";
            }
            if (t.contains("neither the name") || t.contains("names of its contributors may be used")) {
                return "BSD-3-Clause";
            }
            return "BSD-2-Clause";
        }
        if (t.contains("permission to use copy modify and or distribute this software for any purpose with or without fee is hereby granted")) {
            return t.contains("provided that the above copyright notice and this permission notice appear in all copies") ? "ISC" : "0BSD";
        }
        if (t.contains("this is free and unencumbered software released into the public domain")) {
            return "Unlicense";
        }
        if (t.contains("do what the fuck you want to public license")) {
            return "WTFPL";
        }
        return null;
    }
}
