package dev.cria.model.generate;

/**
 * Turns a stream of bytes into text as soon as each character is complete: a token may end in the middle of a
 * multi-byte character (byte-fallback pieces, byte-level BPE), so the incomplete tail waits for the next bytes.
 * A byte that cannot start or continue a well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF) becomes U+FFFD, and decoding resumes at the next byte.
 */
final class Utf8Stream {
    private final byte[] pending = new byte[4];
    private int pendingLength;
    private final StringBuilder out = new StringBuilder();

    /** Appends {@code bytes}; returns the text of every character completed by them (possibly empty). */
    String push(byte[] bytes) {
        out.setLength(0);
        for (byte b : bytes) {
            pending[pendingLength++] = b;
            drain(false);
        }
        return out.toString();
    }

    /** Ends the stream: an incomplete character left over becomes U+FFFD per byte. */
    String flush() {
        out.setLength(0);
        drain(true);
        return out.toString();
    }

    private void drain(boolean atEnd) {
        while (pendingLength > 0) {
            int lead = pending[0] & 0xFF;
            int need = length(lead);
            if (need == 0) {
                replaceFirst();
                continue;
            }
            int have = Math.min(pendingLength, need);
            boolean valid = true;
            for (int i = 1; i < have; i++) {
                if (!continues(lead, i, pending[i] & 0xFF)) {
                    valid = false;
                    break;
                }
            }
            if (!valid) {
                replaceFirst();
                continue;
            }
            if (have < need) {
                if (atEnd) {
                    replaceFirst();
                    continue;
                }
                return;
            }
            out.append(new String(pending, 0, need, java.nio.charset.StandardCharsets.UTF_8));
            shift(need);
        }
    }

    private void replaceFirst() {
        out.append('\uFFFD');
        shift(1);
    }

    private void shift(int n) {
        System.arraycopy(pending, n, pending, 0, pendingLength - n);
        pendingLength -= n;
    }

    /** Sequence length announced by a lead byte, 0 when it cannot lead. */
    private static int length(int lead) {
        if (lead < 0x80) {
            return 1;
        }
        if (lead >= 0xC2 && lead <= 0xDF) {
            return 2;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            return 3;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            return 4;
        }
        return 0;
    }

    /** Whether {@code b} may be byte {@code i} of a sequence led by {@code lead}; the second byte's range depends on the lead. */
    private static boolean continues(int lead, int i, int b) {
        if (i == 1) {
            return switch (lead) {
                case 0xE0 -> b >= 0xA0 && b <= 0xBF;
                case 0xED -> b >= 0x80 && b <= 0x9F;
                case 0xF0 -> b >= 0x90 && b <= 0xBF;
                case 0xF4 -> b >= 0x80 && b <= 0x8F;
                default -> b >= 0x80 && b <= 0xBF;
            };
        }
        return b >= 0x80 && b <= 0xBF;
    }
}
