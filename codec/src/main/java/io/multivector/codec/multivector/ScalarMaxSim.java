package io.multivector.codec.multivector;

/**
 * The plain-loop MaxSim kernels: what scores documents when the JDK Vector API module is not in the JVM (the
 * OpenSearch node always adds it; a plain Lucene application may not), and the reference that the vectorized
 * kernels are tested against. No class here touches {@code jdk.incubator.vector}.
 */
final class ScalarMaxSim {

    private ScalarMaxSim() {}

    /** MaxSim of float rows, one query row and one document row at a time. */
    static float floats(float[] q, int nq, float[] doc, int nd, int dims, boolean l2) {
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

    /** MaxSim of bit rows ({@link BitPacking} layout): {@code dims − 2·hamming} per pair, one pair at a time. */
    static float bits(long[] packed, int nq, long[] doc, int nd, int words, int dims) {
        long sum = 0;
        for (int i = 0; i < nq; i++) {
            int best = Integer.MAX_VALUE;
            for (int d = 0; d < nd * words; d += words) {
                int hamming = 0;
                for (int w = 0; w < words; w++) {
                    hamming += Long.bitCount(packed[i * words + w] ^ doc[d + w]);
                }
                best = Math.min(best, hamming);
            }
            sum += dims - 2L * best;
        }
        return sum;
    }
}
