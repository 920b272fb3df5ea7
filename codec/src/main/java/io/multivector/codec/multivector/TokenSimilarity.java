package io.multivector.codec.multivector;

/** How one query token vector is compared with one document token vector inside MaxSim. */
public enum TokenSimilarity {
    DOT_PRODUCT,
    /** Vectors are L2-normalized when indexed and when the query is prepared, then compared by dot product. */
    COSINE,
    /** Negative squared Euclidean distance, so that larger is closer. */
    L2;

    /**
     * The query's score for a MaxSim value: non-negative and monotone, {@code maxSim + 1} when
     * {@code maxSim >= 0}, else {@code 1 / (1 - maxSim)}.
     */
    public static float toScore(float maxSim) {
        return maxSim < 0 ? 1f / (1f - maxSim) : maxSim + 1f;
    }

    static void normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        if (sum > 0) {
            float inv = (float) (1 / Math.sqrt(sum));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
    }
}
