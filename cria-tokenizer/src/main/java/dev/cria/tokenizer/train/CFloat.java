package dev.cria.tokenizer.train;

import java.math.BigDecimal;
import java.math.MathContext;

/** Formats a float as C++'s {@code ostream << float} does with the default precision (printf {@code %g}, 6 digits). */
final class CFloat {
    private CFloat() {
    }

    static String format(float value) {
        if (Float.isNaN(value)) {
            return "nan";
        }
        if (Float.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return Float.floatToRawIntBits(value) < 0 ? "-0" : "0";
        }
        BigDecimal d = new BigDecimal(value).round(new MathContext(6));
        int exponent = d.precision() - d.scale() - 1;
        if (exponent < -4 || exponent >= 6) {
            BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
            String m = mantissa.toPlainString();
            return m + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
        }
        return d.stripTrailingZeros().toPlainString();
    }
}
