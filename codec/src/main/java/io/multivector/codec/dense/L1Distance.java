package io.multivector.codec.dense;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Manhattan distance with the JDK Vector API, and the plain loop it must agree with. */
public final class L1Distance {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private L1Distance() {}

    public static float distance(float[] a, float[] b) {
        int i = 0;
        float sum = 0;
        if (a.length >= 2 * SPECIES.length()) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int bound = SPECIES.loopBound(a.length); i < bound; i += SPECIES.length()) {
                FloatVector va = FloatVector.fromArray(SPECIES, a, i);
                FloatVector vb = FloatVector.fromArray(SPECIES, b, i);
                acc = acc.add(va.sub(vb).abs());
            }
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum;
    }

    public static float distanceScalar(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum;
    }
}
