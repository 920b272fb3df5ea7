package io.multivector.codec.multivector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * MaxSim over float matrices laid out flat (row after row). The vectorized kernel takes four query rows per
 * document row, so each document chunk loaded from memory feeds four fused multiply-adds: a plain dot product
 * per pair would load twice per FMA and be bound by loads, not arithmetic.
 */
final class FloatMaxSim {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private FloatMaxSim() {}

    /** MaxSim of {@code nq} query rows against {@code nd} document rows of {@code dims}; l2 = negative squared distance. */
    static float maxSim(float[] q, int nq, float[] doc, int nd, int dims, boolean l2) {
        if (dims < LANES) {
            return maxSimScalar(q, nq, doc, nd, dims, l2);
        }
        float sum = 0;
        int i = 0;
        for (; i + 4 <= nq; i += 4) {
            sum += l2 ? best4L2(q, i * dims, doc, nd, dims) : best4Dot(q, i * dims, doc, nd, dims);
        }
        for (; i < nq; i++) {
            sum += best1(q, i * dims, doc, nd, dims, l2);
        }
        return sum;
    }

    private static float best4Dot(float[] q, int qo, float[] doc, int nd, int dims) {
        int bound = SPECIES.loopBound(dims);
        int q1 = qo + dims, q2 = q1 + dims, q3 = q2 + dims;
        float b0 = Float.NEGATIVE_INFINITY, b1 = b0, b2 = b0, b3 = b0;
        for (int j = 0, d = 0; j < nd; j++, d += dims) {
            FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
            for (int c = 0; c < bound; c += LANES) {
                FloatVector dv = FloatVector.fromArray(SPECIES, doc, d + c);
                a0 = FloatVector.fromArray(SPECIES, q, qo + c).fma(dv, a0);
                a1 = FloatVector.fromArray(SPECIES, q, q1 + c).fma(dv, a1);
                a2 = FloatVector.fromArray(SPECIES, q, q2 + c).fma(dv, a2);
                a3 = FloatVector.fromArray(SPECIES, q, q3 + c).fma(dv, a3);
            }
            float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
            float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
            for (int c = bound; c < dims; c++) {
                float x = doc[d + c];
                s0 += q[qo + c] * x;
                s1 += q[q1 + c] * x;
                s2 += q[q2 + c] * x;
                s3 += q[q3 + c] * x;
            }
            b0 = Math.max(b0, s0);
            b1 = Math.max(b1, s1);
            b2 = Math.max(b2, s2);
            b3 = Math.max(b3, s3);
        }
        return b0 + b1 + b2 + b3;
    }

    private static float best4L2(float[] q, int qo, float[] doc, int nd, int dims) {
        int bound = SPECIES.loopBound(dims);
        int q1 = qo + dims, q2 = q1 + dims, q3 = q2 + dims;
        float b0 = Float.NEGATIVE_INFINITY, b1 = b0, b2 = b0, b3 = b0;
        for (int j = 0, d = 0; j < nd; j++, d += dims) {
            FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
            for (int c = 0; c < bound; c += LANES) {
                FloatVector dv = FloatVector.fromArray(SPECIES, doc, d + c);
                FloatVector e0 = FloatVector.fromArray(SPECIES, q, qo + c).sub(dv);
                FloatVector e1 = FloatVector.fromArray(SPECIES, q, q1 + c).sub(dv);
                FloatVector e2 = FloatVector.fromArray(SPECIES, q, q2 + c).sub(dv);
                FloatVector e3 = FloatVector.fromArray(SPECIES, q, q3 + c).sub(dv);
                a0 = e0.fma(e0, a0);
                a1 = e1.fma(e1, a1);
                a2 = e2.fma(e2, a2);
                a3 = e3.fma(e3, a3);
            }
            float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
            float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
            for (int c = bound; c < dims; c++) {
                float x = doc[d + c];
                float e0 = q[qo + c] - x, e1 = q[q1 + c] - x, e2 = q[q2 + c] - x, e3 = q[q3 + c] - x;
                s0 += e0 * e0;
                s1 += e1 * e1;
                s2 += e2 * e2;
                s3 += e3 * e3;
            }
            b0 = Math.max(b0, -s0);
            b1 = Math.max(b1, -s1);
            b2 = Math.max(b2, -s2);
            b3 = Math.max(b3, -s3);
        }
        return b0 + b1 + b2 + b3;
    }

    private static float best1(float[] q, int qo, float[] doc, int nd, int dims, boolean l2) {
        int bound = SPECIES.loopBound(dims);
        float best = Float.NEGATIVE_INFINITY;
        for (int j = 0, d = 0; j < nd; j++, d += dims) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int c = 0; c < bound; c += LANES) {
                FloatVector dv = FloatVector.fromArray(SPECIES, doc, d + c);
                FloatVector qv = FloatVector.fromArray(SPECIES, q, qo + c);
                if (l2) {
                    FloatVector e = qv.sub(dv);
                    acc = e.fma(e, acc);
                } else {
                    acc = qv.fma(dv, acc);
                }
            }
            float s = acc.reduceLanes(VectorOperators.ADD);
            for (int c = bound; c < dims; c++) {
                float x = doc[d + c], y = q[qo + c];
                s += l2 ? (y - x) * (y - x) : y * x;
            }
            best = Math.max(best, l2 ? -s : s);
        }
        return best;
    }

    /** The reference the vectorized kernel must agree with; also used for dims narrower than one vector. */
    static float maxSimScalar(float[] q, int nq, float[] doc, int nd, int dims, boolean l2) {
        float sum = 0;
        for (int i = 0; i < nq; i++) {
            float best = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < nd; j++) {
                float s = 0;
                for (int c = 0; c < dims; c++) {
                    float x = doc[j * dims + c], y = q[i * dims + c];
                    s += l2 ? (y - x) * (y - x) : y * x;
                }
                best = Math.max(best, l2 ? -s : s);
            }
            sum += best;
        }
        return sum;
    }
}
