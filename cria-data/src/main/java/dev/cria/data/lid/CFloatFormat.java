package dev.cria.data.lid;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C++ {@code std::ostream << float} with the default precision: printf's {@code %g} with 6 significant digits, as
 * fastText prints probabilities. The value is rounded from its exact binary value, ties to even (glibc's rule), then
 * written in fixed notation when its decimal exponent X satisfies −4 ≤ X < 6, else as {@code d.ddddde±XX}; trailing
 * zeros and a trailing point are removed.
 */
public final class CFloatFormat {
    private static final MathContext SIX_DIGITS = new MathContext(6, RoundingMode.HALF_EVEN);

    private CFloatFormat() {
    }

    public static String g6(double v) {
        if (Double.isNaN(v)) {
            return Double.doubleToRawLongBits(v) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(v)) {
            return v < 0 ? "-inf" : "inf";
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) < 0 ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(v).round(SIX_DIGITS);
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent >= -4 && exponent < 6) {
            return strip(rounded.setScale(5 - exponent, RoundingMode.UNNECESSARY).toPlainString());
        }
        BigDecimal mantissa = rounded.movePointLeft(exponent).setScale(5, RoundingMode.UNNECESSARY);
        String exp = String.valueOf(Math.abs(exponent));
        return strip(mantissa.toPlainString()) + (exponent < 0 ? "e-" : "e+") + (exp.length() < 2 ? "0" + exp : exp);
    }

    private static String strip(String fixed) {
        if (fixed.indexOf('.') < 0) {
            return fixed;
        }
        int end = fixed.length();
        while (fixed.charAt(end - 1) == '0') {
            end--;
        }
        if (fixed.charAt(end - 1) == '.') {
            end--;
        }
        return fixed.substring(0, end);
    }
}
