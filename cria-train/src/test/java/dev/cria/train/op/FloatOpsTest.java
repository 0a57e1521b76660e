package dev.cria.train.op;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FloatOpsTest {

    @Test
    void vectorExpIsWithinTwoUlpsOfTheCorrectlyRoundedValue() {
        int n = 20001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -87f + 175f * i / (n - 1);
        }
        float[] e = x.clone();
        FloatOps.exp(e, 0, n, 1f, 0f);
        for (int i = 0; i < n; i++) {
            double exact = Math.exp(x[i]);
            assertEquals(exact, e[i], 2 * Math.ulp((float) exact), "exp(" + x[i] + ")");
        }
    }

    @Test
    void vectorLanesAndScalarTailGiveTheSameBits() {
        // 37 values: whole vectors plus a tail of scalar steps; each value also goes alone through the tail
        float[] x = new float[37];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 1.7) * 30f;
        }
        float[] all = x.clone();
        FloatOps.exp(all, 0, all.length, 0.5f, 3f);
        for (int i = 0; i < x.length; i++) {
            float[] one = {x[i]};
            FloatOps.exp(one, 0, 1, 0.5f, 3f);
            assertEquals(Float.floatToIntBits(one[0]), Float.floatToIntBits(all[i]), "element " + i);
        }
    }
}
