package io.multivector.codec.multivector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * MaxSim over a document decoded into blocks of {@link #BLOCK} rows stored column by column: one vector load holds
 * the same dimension of eight document rows, so a broadcast query value and one fused multiply-add advance eight
 * dot products at once, and the best row per query is a lane-wise max. No horizontal sum per (query, row) pair:
 * one reduction per query and document. Four query rows share each loaded column.
 */
final class FloatMaxSim {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;
    static final int BLOCK = SPECIES.length();

    private FloatMaxSim() {}

    /** Index of row {@code r}, dimension {@code c} in the blocked layout of a document with {@code dims} dimensions. */
    static int blockedIndex(int r, int c, int dims) {
        return (r / BLOCK) * dims * BLOCK + c * BLOCK + (r % BLOCK);
    }

    static int blockedLength(int rows, int dims) {
        return ((rows + BLOCK - 1) / BLOCK) * BLOCK * dims;
    }

    /** @param q query rows flat (row after row); @param doc {@code nd} rows in the blocked layout; l2 = negative squared distance */
    static float maxSim(float[] q, int nq, float[] doc, int nd, int dims, boolean l2) {
        int blocks = (nd + BLOCK - 1) / BLOCK;
        VectorMask<Float> lastValid = SPECIES.indexInRange(0, nd - (blocks - 1) * BLOCK);
        FloatVector minusInf = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        float sum = 0;
        int i = 0;
        for (; i + 4 <= nq; i += 4) {
            int q0 = i * dims, q1 = q0 + dims, q2 = q1 + dims, q3 = q2 + dims;
            FloatVector b0 = minusInf, b1 = minusInf, b2 = minusInf, b3 = minusInf;
            for (int b = 0; b < blocks; b++) {
                FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
                int base = b * dims * BLOCK;
                for (int c = 0; c < dims; c++) {
                    FloatVector column = FloatVector.fromArray(SPECIES, doc, base + c * BLOCK);
                    if (l2) {
                        FloatVector e0 = column.sub(q[q0 + c]), e1 = column.sub(q[q1 + c]);
                        FloatVector e2 = column.sub(q[q2 + c]), e3 = column.sub(q[q3 + c]);
                        a0 = e0.fma(e0, a0);
                        a1 = e1.fma(e1, a1);
                        a2 = e2.fma(e2, a2);
                        a3 = e3.fma(e3, a3);
                    } else {
                        a0 = column.fma(FloatVector.broadcast(SPECIES, q[q0 + c]), a0);
                        a1 = column.fma(FloatVector.broadcast(SPECIES, q[q1 + c]), a1);
                        a2 = column.fma(FloatVector.broadcast(SPECIES, q[q2 + c]), a2);
                        a3 = column.fma(FloatVector.broadcast(SPECIES, q[q3 + c]), a3);
                    }
                }
                if (l2) {
                    a0 = a0.neg();
                    a1 = a1.neg();
                    a2 = a2.neg();
                    a3 = a3.neg();
                }
                if (b == blocks - 1) {
                    a0 = minusInf.blend(a0, lastValid);
                    a1 = minusInf.blend(a1, lastValid);
                    a2 = minusInf.blend(a2, lastValid);
                    a3 = minusInf.blend(a3, lastValid);
                }
                b0 = b0.max(a0);
                b1 = b1.max(a1);
                b2 = b2.max(a2);
                b3 = b3.max(a3);
            }
            sum += b0.reduceLanes(VectorOperators.MAX) + b1.reduceLanes(VectorOperators.MAX)
                + b2.reduceLanes(VectorOperators.MAX) + b3.reduceLanes(VectorOperators.MAX);
        }
        for (; i < nq; i++) {
            int q0 = i * dims;
            FloatVector best = minusInf;
            for (int b = 0; b < blocks; b++) {
                FloatVector acc = FloatVector.zero(SPECIES);
                int base = b * dims * BLOCK;
                for (int c = 0; c < dims; c++) {
                    FloatVector column = FloatVector.fromArray(SPECIES, doc, base + c * BLOCK);
                    if (l2) {
                        FloatVector e = column.sub(q[q0 + c]);
                        acc = e.fma(e, acc);
                    } else {
                        acc = column.fma(FloatVector.broadcast(SPECIES, q[q0 + c]), acc);
                    }
                }
                if (l2) {
                    acc = acc.neg();
                }
                if (b == blocks - 1) {
                    acc = minusInf.blend(acc, lastValid);
                }
                best = best.max(acc);
            }
            sum += best.reduceLanes(VectorOperators.MAX);
        }
        return sum;
    }

    /** The plain loop the vectorized kernel must agree with, over the same blocked layout. */
    static float maxSimScalar(float[] q, int nq, float[] doc, int nd, int dims, boolean l2) {
        float sum = 0;
        for (int i = 0; i < nq; i++) {
            float best = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < nd; j++) {
                float s = 0;
                for (int c = 0; c < dims; c++) {
                    float x = doc[blockedIndex(j, c, dims)], y = q[i * dims + c];
                    s += l2 ? (y - x) * (y - x) : y * x;
                }
                best = Math.max(best, l2 ? -s : s);
            }
            sum += best;
        }
        return sum;
    }
}
