package dev.cria.data.lm;

/**
 * Parses plain decimals ({@code -1.2330251}, {@code 0}, {@code -3e-05}) from bytes into the float nearest to them,
 * without building a string. Clinger's fast path: a mantissa of at most 15 digits and a power of ten up to 22 are
 * exact doubles, so one division or multiplication gives the correctly rounded double; rounding that to float is
 * correct unless the double lies exactly halfway between two floats, which is left to {@link Float#parseFloat}.
 */
final class DecimalParser {
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private DecimalParser() {
    }

    /** The float of {@code b[start, end)}, or NaN when the fast path does not apply (the caller then parses text). */
    static float parseFloat(byte[] b, int start, int end) {
        int i = start;
        boolean negative = false;
        if (i < end && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        boolean any = false;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            any = true;
            if (mantissa != 0 || b[i] != '0') {
                mantissa = mantissa * 10 + (b[i] - '0');
                digits++;
            }
            i++;
        }
        if (i < end && b[i] == '.') {
            i++;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                any = true;
                if (mantissa != 0 || b[i] != '0') {
                    mantissa = mantissa * 10 + (b[i] - '0');
                    digits++;
                }
                scale--;
                i++;
            }
        }
        if (!any || digits > 15) {
            return Float.NaN;
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean negExp = false;
            if (i < end && (b[i] == '-' || b[i] == '+')) {
                negExp = b[i] == '-';
                i++;
            }
            int exp = 0;
            int expDigits = 0;
            while (i < end && b[i] >= '0' && b[i] <= '9' && expDigits < 4) {
                exp = exp * 10 + (b[i] - '0');
                expDigits++;
                i++;
            }
            if (expDigits == 0) {
                return Float.NaN;
            }
            scale += negExp ? -exp : exp;
        }
        if (i != end) {
            return Float.NaN;
        }
        if (mantissa == 0) {
            return negative ? -0f : 0f;
        }
        if (scale < -22 || scale > 22) {
            return Float.NaN;
        }
        double d = scale < 0 ? mantissa / POW10[-scale] : mantissa * POW10[scale];
        long bits = Double.doubleToRawLongBits(d);
        int exponent = (int) ((bits >>> 52) & 0x7FF) - 1023;
        // exactly halfway between two normal floats: the 29 bits below float precision are 1000...0
        if (exponent >= -126 && exponent <= 127 && (bits & 0x1FFF_FFFFL) == 0x1000_0000L) {
            return Float.NaN;
        }
        if (exponent < -126) {
            return Float.NaN;
        }
        float f = (float) d;
        return negative ? -f : f;
    }
}
