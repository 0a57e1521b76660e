package dev.cria.data.lm;

/**
 * Numbers as KenLM writes them (double-conversion's {@code ToShortest}, decimal notation for exponents −6 to 20):
 * the fewest digits that read back to the same float or double, no trailing {@code .0} ({@code 0}, {@code -1},
 * {@code -0.5183238}), and {@code 1.5e-7} style outside that range. The digits come from Java's
 * {@code toString}, which (since JDK 19) also picks the shortest round-tripping decimal.
 */
public final class ShortestDecimal {
    private ShortestDecimal() {
    }

    public static String of(float value) {
        if (Float.isNaN(value) || Float.isInfinite(value)) {
            return Float.isNaN(value) ? "NaN" : value > 0 ? "inf" : "-inf";
        }
        return reshape(Float.toString(value));
    }

    /**
     * Writes {@link #of(float)} as ASCII into {@code buf} at {@code pos} (at most 16 bytes) and returns the end. It
     * allocates one short string; the output of a scorer, not its scoring loop.
     */
    public static int write(float value, byte[] buf, int pos) {
        String s = of(value);
        for (int i = 0; i < s.length(); i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
        return pos;
    }

    public static String of(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.isNaN(value) ? "NaN" : value > 0 ? "inf" : "-inf";
        }
        return reshape(Double.toString(value));
    }

    /** Rewrites Java's {@code [-]d.dddE±x} or {@code [-]ddd.ddd} into double-conversion's shortest layout. */
    private static String reshape(String java) {
        boolean negative = java.charAt(0) == '-';
        String body = negative ? java.substring(1) : java;
        int e = body.indexOf('E');
        int exponent = e < 0 ? 0 : Integer.parseInt(body.substring(e + 1));
        String mantissa = e < 0 ? body : body.substring(0, e);
        int dot = mantissa.indexOf('.');
        StringBuilder digits = new StringBuilder(mantissa.length());
        digits.append(mantissa, 0, dot).append(mantissa, dot + 1, mantissa.length());
        // value = 0.digits × 10^point
        int point = dot + exponent;
        int lead = 0;
        while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
            lead++;
            point--;
        }
        digits.delete(0, lead);
        int trail = digits.length();
        while (trail > 1 && digits.charAt(trail - 1) == '0') {
            trail--;
        }
        digits.setLength(trail);
        StringBuilder out = new StringBuilder(24);
        if (digits.length() == 1 && digits.charAt(0) == '0') {
            return negative ? "-0" : "0";
        }
        if (negative) {
            out.append('-');
        }
        int decimalExponent = point - 1;
        if (decimalExponent >= -6 && decimalExponent < 21) {
            if (point <= 0) {
                out.append("0.");
                out.repeat('0', -point);
                out.append(digits);
            } else if (point >= digits.length()) {
                out.append(digits);
                out.repeat('0', point - digits.length());
            } else {
                out.append(digits, 0, point).append('.').append(digits, point, digits.length());
            }
        } else {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(decimalExponent);
        }
        return out.toString();
    }
}
